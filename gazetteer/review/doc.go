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
// fit each category from data/generics.tsv. Every finding cites its article.
//
// No library does Chinese place-name review, so the rules are written here by
// hand; pinyin comes from wumen/gazetteer/romanize and script detection from
// wumen/gazetteer/script.
package review
