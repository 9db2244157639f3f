package review

import (
	"fmt"
	"strings"

	"wumen/gazetteer"
)

// How the category of a subject was decided (CategoryNote.By, besides the
// gazetteer.CategoryBy… readings of a written category).
const (
	CategoryGiven    = "given"    // as given, in the table's own words
	CategoryInferred = "inferred" // from the 通名 of the name
	CategoryOfTarget = "target"   // the category of the place renamed or cancelled
	CategoryNone     = "none"     // none given and none could be inferred
)

// CategoryNote says which category the rules used and how it was decided, so
// that an officer can see it and correct it.
type CategoryNote struct {
	Category gazetteer.Category `json:"category"`
	By       string             `json:"by"`
	// Written is the category as the officer wrote it.
	Written string `json:"written,omitempty"`
	// Form is the alias, 通名, English word or code that matched.
	Form string `json:"form,omitempty"`
	// Alternatives are other categories an inferred 通名 may mean.
	Alternatives []gazetteer.Category `json:"alternatives,omitempty"`
	Message      string               `json:"message"`
	MessageEN    string               `json:"message_en"`
}

// resolveCategory decides the category the rules use: the category written
// in any form people write it (gazetteer.Categories.Resolve), the category
// of the target, or — when none is given — the one the name's 通名 implies
// (gazetteer.Categories.FromName), always said in the note. A written
// category that is ambiguous or unknown is an error listing the readings or
// the nearest categories.
func (c *Checker) resolveCategory(sub *Subject, target *gazetteer.Place) (*CategoryNote, error) {
	cats := c.Store.Categories()
	written := strings.TrimSpace(sub.CategoryText)
	if written == "" && sub.Category.Class != "" {
		if known(cats, sub.Category) {
			return &CategoryNote{Category: sub.Category, By: CategoryGiven,
				Message:   "类别：" + sub.Category.String(),
				MessageEN: "category: " + sub.Category.String()}, nil
		}
		written = sub.Category.String()
	}
	if written != "" {
		m, err := cats.Resolve(written)
		if err != nil {
			return nil, err
		}
		sub.Category = m.Category
		n := &CategoryNote{Category: m.Category, By: m.By, Written: written, Form: m.Form,
			Message:   fmt.Sprintf("类别：%s（按所写“%s”确定）", m.Category, written),
			MessageEN: fmt.Sprintf("category: %s (from %q as written)", m.Category, written)}
		if m.By == gazetteer.CategoryByPath || m.By == gazetteer.CategoryByClass {
			n.By = CategoryGiven
		}
		return n, nil
	}
	if target != nil && target.Category.Class != "" {
		sub.Category = target.Category
		return &CategoryNote{Category: target.Category, By: CategoryOfTarget,
			Message:   fmt.Sprintf("类别：%s（沿用被更改地名“%s”的类别）", target.Category, target.Name),
			MessageEN: fmt.Sprintf("category: %s (that of %s, the place changed)", target.Category, target.Name)}, nil
	}
	m, alt, ok := cats.FromName(sub.Name)
	if !ok {
		return &CategoryNote{By: CategoryNone,
			Message:   "未给出类别，名称也无可识别的通名：重名与同音按所有类别比对，通名与类别是否相符未查",
			MessageEN: "no category given and the name has no recognised generic: duplicates and homophones were sought among places of every category; the generic was not checked against a category"}, nil
	}
	sub.Category = m.Category
	n := &CategoryNote{Category: m.Category, By: CategoryInferred, Form: m.Form, Alternatives: alt,
		Message:   fmt.Sprintf("未给出类别，按通名“%s”推定为 %s", m.Form, m.Category),
		MessageEN: fmt.Sprintf("no category given: taken from the generic %s: %s", m.Form, m.Category)}
	if len(alt) > 0 {
		var zh, en []string
		for _, a := range alt {
			zh = append(zh, a.String())
			en = append(en, a.String())
		}
		n.Message += "；也可能是 " + strings.Join(zh, "、") + "，如不对请改正类别"
		n.MessageEN += "; it may also be " + strings.Join(en, ", ") + ": correct the category if it is not"
	}
	return n, nil
}

// known reports whether a category is in the table as written: a 子类 the
// table lists, or any 子类 of a 大类 for which it lists none and which is
// not another name of a listed one (群众自治组织/村委会 is read as
// 群众自治组织/村民委员会).
func known(cats *gazetteer.Categories, c gazetteer.Category) bool {
	if !cats.Known(c.Class, c.Subclass) {
		return false
	}
	if c.Subclass == "" {
		return true
	}
	ms, found := cats.Lookup(c.String())
	if !found {
		return true
	}
	return len(ms) == 1 && ms[0].Category.Class == c.Class && ms[0].Category.Subclass == c.Subclass
}
