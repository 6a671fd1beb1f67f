package rules

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// idWeights are the ISO 7064 MOD 11-2 weights 2^(17−i) mod 11 for the first
// 17 digits, as printed in GB 11643.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCheckChars maps Σ mod 11 to the check character.
const idCheckChars = "10X98765432"

// NormalizeIDNumber is what CheckIDNumber checks: spaces dropped, full-width
// digits narrowed and a lower-case x made upper-case, the form in which the
// number is stored and compared.
func NormalizeIDNumber(s string) string {
	return strings.ToUpper(removeSpaces(halfWidth(s)))
}

// CheckIDNumber checks an 18-character 居民身份证号 (GB 11643) as of now: the
// birth date must be a real date no later than now's calendar day in now's
// location, and not before 1900. The message never repeats the number, since
// errors may end up in logs.
func CheckIDNumber(s string, now time.Time) error {
	id := NormalizeIDNumber(s)
	if id == "" {
		return errors.New("请填写身份证号")
	}
	n := utf8.RuneCountInString(id)
	if n == 15 && allDigits(id) {
		return errors.New("长度应为18位，15位的旧号码已停用，请填写新号码")
	}
	if n != 18 {
		return fmt.Errorf("长度应为18位，现为%d位", n)
	}
	i := 0
	for _, r := range id {
		i++
		if i < 18 && (r < '0' || r > '9') {
			return fmt.Errorf("第%d位应为数字，现为%s", i, describeRune(r))
		}
		if i == 18 && (r < '0' || r > '9') && r != 'X' {
			return fmt.Errorf("第18位应为数字或X，现为%s", describeRune(r))
		}
	}
	// From here on every character is one byte.
	if err := checkBirthDate(id[6:14], now); err != nil {
		return err
	}
	if idCheck(id[:17]) != id[17] {
		return errors.New("第18位校验码错误，请核对号码")
	}
	return nil
}

func checkBirthDate(yyyymmdd string, now time.Time) error {
	y := atoi(yyyymmdd[0:4])
	m := atoi(yyyymmdd[4:6])
	d := atoi(yyyymmdd[6:8])
	birth := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	// time.Date rolls 2月30日 over into March; a date that does not come back
	// unchanged is not on the calendar.
	if birth.Year() != y || int(birth.Month()) != m || birth.Day() != d {
		return errors.New("第7–14位出生日期不是有效日期")
	}
	if y < 1900 {
		return errors.New("第7–14位出生年份不能早于1900年")
	}
	ny, nm, nd := now.Date()
	if birth.After(time.Date(ny, nm, nd, 0, 0, 0, 0, time.UTC)) {
		return errors.New("第7–14位出生日期不能晚于今天")
	}
	return nil
}

// MakeIDNumber appends the check character to 17 digits, for demo data and
// tests. It panics on anything but 17 ASCII digits, since only programs call
// it; whether the birth date is plausible is the caller's business.
func MakeIDNumber(first17 string) string {
	if len(first17) != 17 || !allDigits(first17) {
		panic("rules.MakeIDNumber: need exactly 17 digits")
	}
	return first17 + string(idCheck(first17))
}

// MaskIDNumber hides all but the first 3 and last 4 characters
// (500***********1234), the form SECURITY.md requires wherever the number is
// shown. Anything too short to keep that much is hidden entirely.
func MaskIDNumber(s string) string {
	return maskKeep(NormalizeIDNumber(s), 3, 4)
}

func idCheck(first17 string) byte {
	sum := 0
	for i := range 17 {
		sum += int(first17[i]-'0') * idWeights[i]
	}
	return idCheckChars[sum%11]
}

// maskKeep keeps head and tail runes and stars the rest, or stars everything
// when that would leave nothing hidden.
func maskKeep(s string, head, tail int) string {
	r := []rune(s)
	if len(r) <= head+tail {
		return strings.Repeat("*", len(r))
	}
	return string(r[:head]) + strings.Repeat("*", len(r)-head-tail) + string(r[len(r)-tail:])
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// atoi reads a run of ASCII digits the caller has already checked.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
