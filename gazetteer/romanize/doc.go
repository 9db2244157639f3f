// Package romanize writes Suzhou place names in the standard romanization
// (标准地名罗马字母拼写): Hanyu Pinyin in 普通话 readings, split into 专名
// (specific) and 通名 (generic) words as the 1984 rules require
// (中国地名汉语拼音字母拼写规则（汉语地名部分）, (84)中地字第17号), and the
// toneless capital form used on signs (GB 17733-2008 地名标志).
//
// Readings come from github.com/mozillazg/go-pinyin. What that library cannot
// know is written by hand here, as data embedded with go:embed:
//
//   - overrides.tsv: place-name readings of heteronyms and dialect characters,
//     scoped to a context word (浒 is xǔ in 浒墅关, 长 is cháng in 长洲);
//   - generics.tsv: the 通名 list used by Split;
//   - modifiers.txt: the one-syllable modifiers that join their head word
//     (景山后街 Jǐngshān Hòujiē).
//
// Word division, apostrophes, capitals and ordinals follow the 1984 rules; the
// rule number is cited beside the code that applies it. DOMAIN.md §4 summarises
// them.
package romanize
