package gazetteer

import (
	"testing"

	"wumen/data"
)

// TestCategoryFormsTable checks every row of category_forms.tsv points at a
// category of data/categories.json: a typo there would silently never match.
func TestCategoryFormsTable(t *testing.T) {
	b, err := data.FS.ReadFile("categories.json")
	if err != nil {
		t.Fatal(err)
	}
	c, err := ParseCategories(b)
	if err != nil {
		t.Fatal(err)
	}
	fs, err := parseCategoryForms(categoryFormsTSV)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.cat.Subclass != "" && !c.Known(f.cat.Class, f.cat.Subclass) || !c.Known(f.cat.Class, "") {
			t.Errorf("category_forms.tsv: %s → %s is not in data/categories.json", f.form, f.cat)
		}
	}
	if _, err := parseCategoryForms("街\t交通运输设施/道路街巷\tnickname\n"); err == nil {
		t.Error("an unknown kind must be refused")
	}
	if _, err := parseCategoryForms("街\t交通/道路街巷\talias\n"); err == nil {
		t.Error("a row outside the census classes must be refused")
	}
}
