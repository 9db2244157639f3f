package romanize_test

import (
	"fmt"

	"wumen/gazetteer/romanize"
)

// The standard pinyin of a name, by its 专名 and 通名 (the 1984 rules: the
// two written apart, each capitalized, with tone marks), with the readings
// that place names give characters general pinyin tables get wrong.
func ExampleStandard_ofAName() {
	for _, name := range []string{"阊门", "甪直镇", "平江路", "观前东街"} {
		specific, generic := romanize.Split(name)
		fmt.Println(name, romanize.Standard(specific, generic, false))
	}
	// Output:
	// 阊门 Chāng Mén
	// 甪直镇 Lùzhí Zhèn
	// 平江路 Píngjiāng Lù
	// 观前东街 Guānqián Dōngjiē
}

// Toneless is the pinyin a visitor types: no tone marks, no spaces, one
// reading of each character as the place name reads it.
func ExampleToneless() {
	fmt.Println(romanize.Toneless("浒墅关"))
	fmt.Println(romanize.Toneless("山塘街"))
	// Output:
	// xushuguan
	// shantangjie
}

// Initials are the first letters of the syllables, what a visitor types
// for a quick search (stj for 山塘街).
func ExampleInitials() {
	fmt.Println(romanize.Initials("山塘街"))
	fmt.Println(romanize.Initials("拙政园"))
	// Output:
	// stj
	// zzy
}

// Syllables gives every reading of each character, the place-name reading
// first; search indexes all of them, so a heteronym is found either way.
func ExampleSyllables() {
	for _, s := range romanize.Syllables("长桥") {
		fmt.Println(s)
	}
	// Output:
	// [chang zhang]
	// [qiao]
}
