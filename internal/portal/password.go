package portal

import (
	"unicode"
	"unicode/utf8"
)

// PasswordProblem says what is wrong with a new password (SECURITY.md 1), or "" when it is acceptable:
// at least 8 characters drawn from at least 3 of upper case, lower case, digits and symbols.
func PasswordProblem(pw, username string) string {
	if utf8.RuneCountInString(pw) < 8 {
		return "密码至少8位"
	}
	if utf8.RuneCountInString(pw) > 128 {
		return "密码不能超过128位"
	}
	var upper, lower, digit, other bool
	for _, r := range pw {
		switch {
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsLower(r):
			lower = true
		case unicode.IsDigit(r):
			digit = true
		default:
			other = true
		}
	}
	classes := 0
	for _, b := range []bool{upper, lower, digit, other} {
		if b {
			classes++
		}
	}
	if classes < 3 {
		return "密码须包含大写字母、小写字母、数字、符号中的至少三类"
	}
	if username != "" && pw == username {
		return "密码不能与用户名相同"
	}
	return ""
}
