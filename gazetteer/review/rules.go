package review

import (
	"github.com/paulmach/orb"

	"wumen/gazetteer"
)

// Severity says how much a finding weighs: a block finding stops approval.
type Severity string

// Severities.
const (
	Block Severity = "block" // the name may not be approved as it is
	Warn  Severity = "warn"  // the reviewer must weigh it and say why
	Note  Severity = "note"  // information (candidates, established usage)
)

// Articles cited by findings. Numbers are the articles of the State Council's
// 地名管理条例 (revised 2022) and the Ministry of Civil Affairs' 实施办法
// (2024) as docs/domain.md §5 summarises them; the item of docs/domain.md §5 that a
// rule implements is named beside the article, because the clauses of 第九条
// are not numbered here from the official text.
const (
	ArtMeaning   = "地名管理条例 第九条（含义健康）"
	ArtScale     = "地名管理条例 第九条（名实相符，不夸大）"
	ArtChars     = "地名管理条例 第九条（使用规范汉字，避免生僻字；通用规范汉字表）"
	ArtPerson    = "地名管理条例 第九条（一般不以人名作地名，不以国家领导人的名字作地名）"
	ArtForeign   = "地名管理条例 第九条（不以外国人名、地名作地名）"
	ArtBrand     = "地名管理条例 第九条（不以企业名称或者商标名称作地名）"
	ArtDuplicate = "地名管理条例 第九条（不重名，避免同音）"
	ArtGeneric   = "地名管理条例实施办法（通名与地理实体的类别、属性相符）"
	ArtHistory   = "地名管理条例 第十条（具有重要历史文化价值的地名一般不得更名）"
	ArtProtected = "地名管理条例 第二十五条（列入保护名录的地名，更名须先制定保护措施）"
	ArtRevival   = "地名管理条例实施办法（地名文化保护：活化使用）"
	ArtProcedure = "地名管理条例（申报材料：综合评估、专家论证、征求意见）"
)

// Rule identifiers. The part before the dot is the clean-up family (重 大 洋
// 怪) or the topic.
const (
	RuleDuplicate        = "dup.exact"              // same name in scope (重)
	RuleDuplicateAlias   = "dup.alias"              // same as another place's alias
	RuleHomophoneToned   = "dup.homophone"          // same toned pinyin (同音同调)
	RuleHomophone        = "dup.homophone_toneless" // same toneless pinyin (同音)
	RuleHomophoneReading = "dup.homophone_reading"  // same sound in another reading of a character
	RuleOneCharApart     = "dup.near_one_char"      // one character apart
	RuleSameSpecific     = "dup.near_specific"      // same 专名 with another 通名 close by
	RuleRareNonStandard  = "char.nonstandard"       // outside the 8,105
	RuleRareLevel3       = "char.level3"            // level 3 of the 8,105
	RuleInflated         = "big.word"               // 大: inflated word
	RuleInflatedGeneric  = "big.generic"            // 大: 通名 overstating the entity
	RuleForeign          = "foreign.word"           // 洋
	RuleLatin            = "foreign.latin"          // 洋: Latin letters
	RuleLeader           = "person.leader"          // state leader
	RulePerson           = "person.famous"          // famous person
	RuleBrand            = "brand"                  // enterprise or brand
	RuleMixedScript      = "odd.mixed_script"       // 怪: 繁简混用
	RuleDigits           = "odd.digits"             // 怪: digits
	RuleSymbols          = "odd.symbols"            // 怪: symbols
	RuleVulgar           = "odd.vulgar"             // 怪: vulgar words
	RuleGenericMismatch  = "generic.category"       // 通名 does not fit the category
	RuleGenericMissing   = "generic.missing"        // no 通名
	RuleHeritageLock     = "heritage.lock"          // protected name
	RuleHeritageMeasures = "heritage.measures"      // protected, measures recorded
	RuleHistoricValue    = "heritage.value"         // important historical value
	RuleRevival          = "revival.candidates"     // 活化使用 candidates
	RuleRevivalRepeat    = "revival.repeat"         // the name is a historical or cancelled one
	RuleTarget           = "target"                 // the place to rename/cancel is missing or unsuitable
)

// Conflict is a place a finding points at.
type Conflict struct {
	ID        int64   `json:"id"`
	Name      string  `json:"name"`
	Matched   string  `json:"matched,omitempty"` // the name of it that matched, when not the standard name
	Category  string  `json:"category,omitempty"`
	Status    string  `json:"status,omitempty"`
	DistanceM float64 `json:"distance_m,omitempty"` // 0 when either place has no location
	// County names the county-level unit(s) the place is recorded in
	// ("姑苏区 320508").
	County string `json:"county,omitempty"`
	URL    string `json:"url"` // the place's public page
}

// Finding is one result of a rule.
type Finding struct {
	Rule      string     `json:"rule"`
	Severity  Severity   `json:"severity"`
	Message   string     `json:"message"`    // Chinese
	MessageEN string     `json:"message_en"` // English
	Article   string     `json:"article"`
	Places    []Conflict `json:"places,omitempty"`
}

// Action is what a proposal does to a name.
type Action string

// Proposal kinds (地名管理条例: 命名, 更名, 注销; 起止点调整).
const (
	Naming   Action = "naming"
	Renaming Action = "renaming"
	Cancel   Action = "cancel"
	Adjust   Action = "adjust"
)

// Subject is what the rules check: a proposed name with its category, place
// and jurisdiction, and for a renaming, cancellation or adjustment the place
// it changes.
type Subject struct {
	Action   Action             `json:"action"`
	Name     string             `json:"name"`
	Category gazetteer.Category `json:"category"`
	// CategoryText is the category as a person wrote it, in any form
	// gazetteer.Categories.Resolve reads (道路街巷, 街巷, 街, street, 2624);
	// when set it takes the place of Category. With neither, the category
	// is inferred from the 通名 of the name, and the report says so.
	CategoryText string `json:"category_text,omitempty"`
	// Scale "lane" marks a small street (小巷): the 大 rule then rejects an
	// overstating 通名 such as 大道. A line shorter than LaneMaxM counts as a
	// lane too.
	Scale string `json:"scale,omitempty"`
	// Geometry is the proposed geometry, WGS84; Point is its label point.
	Geometry orb.Geometry `json:"-"`
	Point    *orb.Point   `json:"point,omitempty"`
	// Admin is the statistical code of the jurisdiction (6 digits for a county,
	// 9 for a township, 12 for a village).
	Admin string `json:"admin,omitempty"`
	// Target is the place renamed, cancelled or adjusted.
	Target int64 `json:"target,omitempty"`
	// Protection records the protection measures set for a protected name
	// (地名管理条例 第二十五条); without them a renaming or cancellation of a
	// protected name is blocked.
	Protection string `json:"protection,omitempty"`
}
