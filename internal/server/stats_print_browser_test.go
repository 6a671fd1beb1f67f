package server

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/yubei-cso/portal/internal/seed"
)

// printPDF prints the tab's page as Chromium would on paper, with the page's own @page size.
func printPDF(tb *tab) string {
	tb.t.Helper()
	pdf, err := chromedp.Run(tb.ctx, func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		yes := true
		r, err := cdp.Call(ctx, t, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &yes})
		if err != nil {
			return nil, err
		}
		return r.Data, nil
	})
	if err != nil {
		tb.t.Fatalf("print: %v", err)
	}
	return string(pdf)
}

// printScreenshot saves how the page looks with print styles, at the width of the paper it is printed on.
func printScreenshot(tb *tab, name string, widthPx int64) {
	tb.t.Helper()
	err := chromedp.Do(tb.ctx, func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		if _, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
			return chromedp.Void{}, err
		}
		_, err := cdp.Call(ctx, t, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
			Width: widthPx, Height: 800, DeviceScaleFactor: 1})
		return chromedp.Void{}, err
	})
	if err != nil {
		tb.t.Fatal(err)
	}
	tb.screenshot(name)
}

var pdfPage = regexp.MustCompile(`/Type\s*/Page[^s]`)

// A town's 考核 score sheet prints on one A4 landscape page and a community's 述职 summary on one A4 portrait
// page, both with their signature lines, without the screen's filters and buttons.
func TestBrowserStatsPrintOnA4(t *testing.T) {
	a := newApp(t, nil)
	b := newBrowser(t, a)
	d := flowSignIn(t, b, "demo-town", "town")

	d.open("/town/assessment")
	if d.count(".print-sheet .print-sign") != 1 || d.count("#sheet tbody tr") < 5 {
		t.Fatal("the score sheet lacks its rows or its signature line")
	}
	pdf := printPDF(d)
	printScreenshot(d, "stats-assessment-print", 1047) // 297 mm less the margins, at 96 dpi
	if n := len(pdfPage.FindAllString(pdf, -1)); n != 1 {
		t.Fatalf("the town's score sheet prints on %d pages", n)
	}
	if !strings.Contains(pdf, "/MediaBox [0 0 841") {
		t.Fatal("the score sheet is not printed on A4 landscape")
	}

	d2 := flowSignIn(t, b, "demo-town", "town")
	d2.open("/town/stats/summary?division=" + seed.CommunityDemo)
	pdf = printPDF(d2)
	if n := len(pdfPage.FindAllString(pdf, -1)); n != 1 {
		t.Fatalf("the 述职 summary prints on %d pages", n)
	}
	if !strings.Contains(pdf, "/MediaBox [0 0 594") && !strings.Contains(pdf, "/MediaBox [0 0 595") {
		t.Fatalf("the 述职 summary is not printed on A4 portrait: %s", regexp.MustCompile(`/MediaBox \[[^\]]*\]`).FindString(pdf))
	}
	printScreenshot(d2, "stats-summary-print", 658) // 210 mm less the margins
}
