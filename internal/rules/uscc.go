package rules

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// usccAlphabet is the GB 32100-2015 character set. I, O, S, V and Z are left
// out because they are easily mistaken for 1, 0, 5, U and 2; a character's
// index here is also its value in the position-18 check.
const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccWeights are 3^(i−1) mod 31 for positions 1–17, written out as the
// standard prints them so a reviewer can compare them line by line.
var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// orgCodeWeights are the GB 11714 weights for the eight body characters of
// the organization code held in positions 9–16.
var orgCodeWeights = [8]int{3, 7, 9, 10, 5, 8, 4, 2}

// NormalizeUSCC is what CheckUSCC actually checks: surrounding spaces dropped,
// full-width characters narrowed and letters upper-cased, because codes are
// printed in capitals but typed any old way.
func NormalizeUSCC(code string) string {
	return strings.ToUpper(strings.TrimSpace(halfWidth(code)))
}

// usccCategory is position 2 (机构类别) for the registered legal forms; the
// unregistered groups have no code at all.
func usccCategory(form LegalForm) (byte, string, bool) {
	switch form {
	case FormSocialGroup:
		return '1', "社会团体", true
	case FormPrivateNonEnterprise:
		return '2', "民办非企业单位", true
	case FormFoundation:
		return '3', "基金会", true
	}
	return 0, "", false
}

// CheckUSCC checks a 统一社会信用代码 issued by 民政 for an organization of the
// given legal form. division is the registering authority's 行政区划代码
// (500112 for 渝北区); pass "" to accept any, e.g. for an organization that
// moved in from another district. Pass form "" when the legal form is not yet
// known. The error message names the position that is wrong and is meant to
// be shown to the clerk as is; it never repeats the code itself.
func CheckUSCC(code string, form LegalForm, division string) error {
	if form == FormUnregistered {
		return errors.New("未登记团体没有统一社会信用代码")
	}
	if form != "" && !form.Valid() {
		return errors.New("未知的组织类别，无法核对统一社会信用代码")
	}
	c := NormalizeUSCC(code)
	if c == "" {
		return errors.New("请填写统一社会信用代码")
	}
	if n := utf8.RuneCountInString(c); n != 18 {
		return fmt.Errorf("长度应为18位，现为%d位", n)
	}
	if i, r, bad := firstNotInAlphabet(c); bad {
		msg := fmt.Sprintf("第%d位含有不允许的字符%s", i, describeRune(r))
		if strings.ContainsRune("IOSVZ", r) {
			msg += "（代码中不使用I、O、S、V、Z，请核对是否为1、0、5、U、2）"
		}
		return errors.New(msg)
	}
	if c[0] != '5' {
		return errors.New("第1位应为5（民政部门登记）")
	}
	if !strings.ContainsRune("1239", rune(c[1])) {
		return errors.New("第2位应为1、2、3或9（机构类别）")
	}
	if want, label, ok := usccCategory(form); ok && c[1] != want {
		return fmt.Errorf("第2位应为%c（%s），与组织形式不符", want, label)
	}
	if division != "" && c[2:8] != division {
		return fmt.Errorf("第3–8位应为登记机关行政区划代码%s", division)
	}
	if orgCodeCheck(c[8:16]) != c[16] {
		return errors.New("第17位校验码错误")
	}
	if usccCheck(c[:17]) != c[17] {
		return errors.New("第18位校验码错误")
	}
	return nil
}

// ValidUSCCChecksum reports whether code is 18 characters of the GB 32100
// alphabet with both check characters right. It says nothing about who
// issued the code, so it accepts codes of companies and other departments.
func ValidUSCCChecksum(code string) bool {
	c := NormalizeUSCC(code)
	if len(c) != 18 {
		return false
	}
	if _, _, bad := firstNotInAlphabet(c); bad {
		return false
	}
	return orgCodeCheck(c[8:16]) == c[16] && usccCheck(c[:17]) == c[17]
}

// MakeUSCC builds a code with both check characters filled in, for demo data
// and tests. orgBody8 is the eight-character body of the organization code
// (positions 9–16). A form without a 民政 category gets 9 (其他). It panics on
// input that could never make a valid code, since only programs call it.
func MakeUSCC(form LegalForm, division, orgBody8 string) string {
	if len(division) != 6 || len(orgBody8) != 8 {
		panic("rules.MakeUSCC: division must have 6 and orgBody8 8 characters")
	}
	cat, _, ok := usccCategory(form)
	if !ok {
		cat = '9'
	}
	head := "5" + string(cat) + division + orgBody8
	if _, _, bad := firstNotInAlphabet(head); bad {
		panic("rules.MakeUSCC: character outside the GB 32100 alphabet")
	}
	head += string(orgCodeCheck(orgBody8))
	return head + string(usccCheck(head))
}

// firstNotInAlphabet returns the 1-based position and the character of the
// first rune outside usccAlphabet.
func firstNotInAlphabet(s string) (int, rune, bool) {
	i := 0
	for _, r := range s {
		i++
		if r >= utf8.RuneSelf || strings.IndexByte(usccAlphabet, byte(r)) < 0 {
			return i, r, true
		}
	}
	return 0, 0, false
}

// orgCodeCheck is the GB 11714 check character. That standard values letters
// A=10 … Z=35 over the full Latin alphabet, unlike the 31-character numbering
// used for position 18, so the two must not share a lookup.
func orgCodeCheck(body string) byte {
	sum := 0
	for i := range 8 {
		c := body[i]
		v := int(c - '0')
		if c >= 'A' {
			v = int(c-'A') + 10
		}
		sum += v * orgCodeWeights[i]
	}
	switch d := 11 - sum%11; d {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + d)
	}
}

// usccCheck is the GB 32100 position-18 check character over positions 1–17.
func usccCheck(first17 string) byte {
	sum := 0
	for i := range 17 {
		sum += strings.IndexByte(usccAlphabet, first17[i]) * usccWeights[i]
	}
	return usccAlphabet[(31-sum%31)%31]
}
