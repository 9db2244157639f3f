// Package review is naming review (地名审核) for officers: the rules a new or
// changed name is checked against (地名管理条例 2022 第九条, 第十条,
// 第二十五条; 地名管理条例实施办法 2024), and the workflow a proposal goes
// through from draft to the gazetteer (申报 → 审核 → 批准 → 备案 → 公告 → 入库).
//
// Rules work over the gazetteer store: duplicates and homophones (重) are found
// with SQL over the places and place_names tables inside the statutory scope
// of the entity type; inflated (大), foreign (洋), bizarre or vulgar (怪)
// words, person and brand names come from the word lists in data/words.tsv;
// rare characters from 《通用规范汉字表》 in data/hanzi8105.txt; the 通名 that
// fit each category from data/generics.tsv. Every finding cites its article,
// whose gist officers read beside it (data/articles.tsv).
//
// A subject is checked the way officers write it: the category in any form
// (resolve.go, through gazetteer.Categories — the one resolver the
// importers use too), or none, inferred from the 通名; the county and
// township from the position (locate.go, through the gazetteer's Locator —
// containment or its stated estimate). The report says which of each was
// used and how. dup.go holds the 重 rules; reviewtest holds the held set of
// real cases run through the rules, the command line, the API and the
// officer page.
//
// No library does Chinese place-name review, so the rules are written here by
// hand; pinyin comes from wumen/gazetteer/romanize and script detection from
// wumen/gazetteer/script.
package review
