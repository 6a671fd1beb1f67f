// Confirmation before irreversible steps: any form with data-confirm asks first, saying what will happen.
document.addEventListener("submit", function (ev) {
  if (ev.submitter && ev.submitter.hasAttribute("data-no-confirm")) { return; } // a button that only shows, changes nothing
  var msg = ev.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) { ev.preventDefault(); return; }
  // issue 17: the dialog answered, the server need not ask again (without script it shows a confirmation page)
  var step = ev.target.elements && ev.target.elements.namedItem("confirm_step");
  if (msg && step) { step.value = "1"; }
}, true);
// Print buttons.
document.addEventListener("click", function (ev) {
  if (ev.target.matches("[data-print]")) { ev.preventDefault(); window.print(); }
});
// Organization names: an element with data-name-preview shows the name composed from the listed inputs (by
// id, in the order the server's rules join them) as the clerk types; the server still checks every part when
// the form is sent. A read-only part with data-name-part-from takes the label of the option chosen in that
// select (the community's name), or nothing while none is chosen.
document.addEventListener("input", function (ev) {
  var form = ev.target.form;
  var out = form && form.querySelector("[data-name-preview]");
  if (!out) { return; }
  form.querySelectorAll("[data-name-part-from]").forEach(function (part) {
    var sel = document.getElementById(part.getAttribute("data-name-part-from"));
    if (!sel) { return; }
    var opt = sel.options[sel.selectedIndex];
    part.value = opt && opt.value ? opt.text.trim() : "";
  });
  out.textContent = out.getAttribute("data-name-preview").split(" ").map(function (id) {
    var el = document.getElementById(id);
    return el ? el.value.trim() : "";
  }).join("");
});
// Transfer between communities (issue 13): #transfer-rename shows the name a group named after its community
// takes in the community chosen in #to: the 行政区划 (with the option's town, from its optgroup, when the name
// names a town), the community's name, then the group's own parts. The server composes it again on send.
document.addEventListener("change", function (ev) {
  var box = document.getElementById("transfer-rename");
  if (!box || ev.target.id !== "to") { return; }
  var out = document.getElementById("transfer-new-name");
  var opt = ev.target.options[ev.target.selectedIndex];
  if (!opt || !opt.value) { out.textContent = "（选择迁入社区（村）后显示）"; return; }
  var prefix = box.getAttribute("data-rename-prefix");
  if (!prefix) {
    var group = opt.parentNode.tagName === "OPTGROUP" ? opt.parentNode.label : box.getAttribute("data-rename-town");
    prefix = box.getAttribute("data-rename-district") + group;
  }
  out.textContent = prefix + opt.text.trim() + box.getAttribute("data-rename-suffix");
});
