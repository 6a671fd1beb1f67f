package rules

// Keys of Problems. They are the names of the form inputs, so a page can put
// each message beside the input the clerk has to change.
const (
	KeyNamePrefix    = "name_prefix"    // 行政区划 part of the name
	KeyNameCommunity = "name_community" // 社区（村） part of the name
	KeyZihao         = "zihao"          // 字号
	KeyField         = "field"          // 业务范围（领域）
	KeyForm          = "form"           // 组织形式
	// KeyName is for problems with the name as a whole that no single part
	// owns, such as a duplicate found by the store or an unsplittable import.
	KeyName     = "name"
	KeyUSCC     = "uscc"      // 统一社会信用代码
	KeyIDNumber = "id_number" // 居民身份证号
	KeyPhone    = "phone"
)

// Problems maps an input's key to a message a clerk can act on. A nil
// Problems reads as "no problems" but cannot be added to; start from
// Problems{}.
type Problems map[string]string

// Add records msg for field unless the field already has a message: the
// checks run from the most basic to the most specific, and the first failure
// is the one the clerk must fix before the others make sense.
func (p Problems) Add(field, msg string) {
	if _, ok := p[field]; ok {
		return
	}
	p[field] = msg
}

// OK reports whether nothing was found wrong.
func (p Problems) OK() bool { return len(p) == 0 }
