// Confirmation before irreversible steps: any form with data-confirm asks first, saying what will happen.
document.addEventListener("submit", function (ev) {
  var msg = ev.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) { ev.preventDefault(); }
}, true);
// Print buttons.
document.addEventListener("click", function (ev) {
  if (ev.target.matches("[data-print]")) { ev.preventDefault(); window.print(); }
});
