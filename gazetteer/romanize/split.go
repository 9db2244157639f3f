package romanize

import "strings"

// Split splits a standard name into 专名 (specific) and 通名 (generic) using
// the embedded generics.tsv, longest generic first: Split("山塘街") ==
// ("山塘", "街"), Split("金鸡湖大道") == ("金鸡湖", "大道"), Split("太湖") ==
// ("太", "湖"). A name that is itself only a generic, or that ends in no known
// generic, is returned whole as the specific with an empty generic.
//
// Split does not decide whether a name is written joined: natural villages
// and towns (陆巷 Lùxiàng) are joined by the caller, who knows the category
// (docs/domain.md §4).
func Split(name string) (specific, generic string) {
	t := data()
	if _, ok := t.byGeneric[name]; ok {
		return name, ""
	}
	for _, g := range t.generics {
		if len(g.Name) < len(name) && strings.HasSuffix(name, g.Name) {
			return strings.TrimSuffix(name, g.Name), g.Name
		}
	}
	return name, ""
}
