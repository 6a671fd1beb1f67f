package rules

import (
	"strings"
	"unicode"
)

// halfWidth turns full-width ASCII (what a Chinese input method produces when
// left in full-width mode, e.g. "５００" or "－") into the ordinary characters,
// so codes typed that way are not rejected for a reason the clerk cannot see.
func halfWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFEE0
		case r == 0x3000:
			return ' '
		}
		return r
	}, s)
}

// removeSpaces drops every white-space character, wherever it is: a number
// copied from a spreadsheet often arrives as "023 6789 1234".
func removeSpaces(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// describeRune names a character for a message; a bare space or control
// character inside quotes would be invisible to the clerk.
func describeRune(r rune) string {
	switch {
	case r == ' ':
		return "空格"
	case r == 0x3000:
		return "全角空格"
	case unicode.IsSpace(r):
		return "空白字符"
	case r == '\uFFFD' || !unicode.IsPrint(r):
		return "不可见字符"
	}
	return "“" + string(r) + "”"
}
