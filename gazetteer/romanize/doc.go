// Package romanize writes Suzhou place names in the standard romanization
// (标准地名罗马字母拼写): Hanyu Pinyin in 普通话 readings, split into 专名
// (specific) and 通名 (generic) words as the 1984 rules require
// (中国地名汉语拼音字母拼写规则（汉语地名部分）, (84)中地字第17号), and the
// toneless capital form used on signs (GB 17733-2008 地名标志).
//
// Readings come from github.com/mozillazg/go-pinyin's dictionary, carried as
// the data file readings.txt (written from the library by
// internal/genreadings, and held to it by a test) so that the search in the
// browser does not link the library's Go map literal. What that library
// cannot know is written by hand here, as data embedded with go:embed:
//
//   - overrides.tsv: place-name readings of heteronyms and dialect characters,
//     scoped to a context word (浒 is xǔ in 浒墅关) or to every place name
//     (长 is cháng);
//   - generics.tsv: the 通名 list used by Split, with a kind for each;
//   - modifiers.txt: the one-syllable modifiers that join their head word
//     (景山后街 Jǐngshān Hòujiē);
//   - words.tsv and names.tsv: the words and person names by which a long
//     specific is cut into written words (苏州丝绸博物馆 Sūzhōu Sīchóu
//     Bówùguǎn, 顾炎武故居 Gù Yánwǔ Gùjū).
//
// Neutral tone: standard place-name pinyin writes a full tone on every
// syllable, so where go-pinyin prefers a toneless reading (子 zi) the first
// toned one is used (七子山 Qīzǐ Shān). The neutral tone is kept only where
// overrides.tsv gives a toneless reading, as the atlases write it (狮子 Shīzi,
// 衙门 Yámen).
//
// Word division of a specific that is not written joined: greedy longest
// match against words.tsv, names.tsv and the multi-character generics; the
// characters between matches are one word, and a single such character joins
// its neighbour (吴中区 Wúzhōngqū). Person names are written surname apart
// (GB/T 16159-2012) before a memorial, building or site generic, and as one
// word in a place named after the person (a road, village, river …: 1984
// rules, explanatory rule 8, 张自忠路 Zhāngzìzhōng Lù). Names written joined
// (natural villages and towns) are never divided.
//
// Word division, apostrophes, capitals and ordinals follow the 1984 rules; the
// rule number is cited beside the code that applies it. docs/domain.md §4 summarises
// them.
package romanize
