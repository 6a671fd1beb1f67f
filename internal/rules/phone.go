package rules

import (
	"errors"
	"fmt"
	"strings"
)

// NormalizePhone is what CheckPhone checks: every space removed and
// full-width characters narrowed, because numbers are often copied from
// spreadsheets as "138 1234 5678" or typed with a full-width "－".
func NormalizePhone(s string) string {
	return removeSpaces(halfWidth(s))
}

// CheckPhone accepts a mainland mobile number (1[3-9] and 9 more digits) or a
// landline with its area code, optionally separated by "-", with an optional
// "-" extension of 1–4 digits: 13812345678, 023-67891234, 02367891234,
// 023-67891234-801.
//
// The area code's length is not guessed from the number's length: 010 and
// 020–029 are 0 plus two digits and every other area code is 0 plus three,
// which is how the national numbering plan assigns them. That makes
// 02367891234 unambiguous and rejects impossible codes like 0236-7891234.
func CheckPhone(s string) error {
	_, err := parsePhone(NormalizePhone(s))
	return err
}

// MaskPhone hides the middle of a number for display (SECURITY.md): a mobile
// keeps its first 3 and last 4 digits (138****5678), a landline its area code
// and last 4 digits (023-****1234). An extension is kept, since on its own
// it identifies no one. Something that is not a valid number keeps only its
// last 4 characters.
func MaskPhone(s string) string {
	n := NormalizePhone(s)
	p, err := parsePhone(n)
	if err != nil {
		r := []rune(n)
		if len(r) <= 4 {
			return strings.Repeat("*", len(r))
		}
		return strings.Repeat("*", len(r)-4) + string(r[len(r)-4:])
	}
	if p.mobile {
		return maskKeep(n, 3, 4)
	}
	out := p.area + p.sep + strings.Repeat("*", len(p.local)-4) + p.local[len(p.local)-4:]
	if p.ext != "" {
		out += "-" + p.ext
	}
	return out
}

// phoneParts is a number split the way MaskPhone needs it; for a mobile only
// mobile is set.
type phoneParts struct {
	mobile bool
	area   string // with its leading 0
	sep    string // "-" or ""
	local  string
	ext    string
}

func parsePhone(s string) (phoneParts, error) {
	if s == "" {
		return phoneParts{}, errors.New("请填写联系电话")
	}
	for _, r := range s {
		if (r < '0' || r > '9') && r != '-' {
			return phoneParts{}, fmt.Errorf("电话号码只能含有数字和“-”，不能含有%s", describeRune(r))
		}
	}
	// Every character is now one byte.
	switch s[0] {
	case '1':
		return parseMobile(s)
	case '0':
		return parseLandline(s)
	}
	if d := strings.ReplaceAll(s, "-", ""); len(d) == 7 || len(d) == 8 {
		return phoneParts{}, errors.New("座机号码请加区号，如023-67891234")
	}
	return phoneParts{}, errors.New("应为11位手机号或带区号的座机号，如13812345678、023-67891234")
}

func parseMobile(s string) (phoneParts, error) {
	if strings.Contains(s, "-") {
		return phoneParts{}, errors.New("手机号应为连续的11位数字，不要加“-”")
	}
	if len(s) != 11 {
		return phoneParts{}, fmt.Errorf("手机号应为11位，现为%d位", len(s))
	}
	if s[1] < '3' {
		return phoneParts{}, errors.New("手机号第2位应为3–9")
	}
	return phoneParts{mobile: true}, nil
}

func parseLandline(s string) (phoneParts, error) {
	areaLen := 4
	switch {
	case len(s) < 2 || s[1] == '0' || s[1] == '-':
		return phoneParts{}, errors.New("区号不正确，应为0加2–3位数字，如023")
	case s[1] == '1' || s[1] == '2':
		areaLen = 3
	}
	if len(s) < areaLen || strings.Contains(s[:areaLen], "-") {
		return phoneParts{}, errors.New("区号不正确，应为0加2–3位数字，如023")
	}
	p := phoneParts{area: s[:areaLen]}
	rest := s[areaLen:]
	if strings.HasPrefix(rest, "-") {
		p.sep, rest = "-", rest[1:]
	}
	p.local, p.ext, _ = strings.Cut(rest, "-")
	hasExt := len(p.local) < len(rest)
	if n := len(p.local); n < 7 || n > 8 {
		return phoneParts{}, fmt.Errorf("座机号码（不含区号）应为7–8位，现为%d位", n)
	}
	if hasExt && (len(p.ext) < 1 || len(p.ext) > 4 || strings.Contains(p.ext, "-")) {
		return phoneParts{}, errors.New("分机号应为1–4位数字，写在号码后面，如023-67891234-801")
	}
	return p, nil
}
