package romanize

import (
	"fmt"
	"slices"
	"testing"

	"github.com/mozillazg/go-pinyin"
)

func TestStandard(t *testing.T) {
	tests := []struct {
		specific, generic string
		joined            bool
		want, sign        string
	}{
		// 专名 and 通名 apart, each capitalized (docs/domain.md §4; 1984 rules rules 1, 10).
		{"山塘", "街", false, "Shāntáng Jiē", "SHANTANG JIE"},
		{"平江", "路", false, "Píngjiāng Lù", "PINGJIANG LU"},
		{"观前", "街", false, "Guānqián Jiē", "GUANQIAN JIE"},
		{"木渎", "镇", false, "Mùdú Zhèn", "MUDU ZHEN"},
		{"太", "湖", false, "Tài Hú", "TAI HU"},
		{"金鸡湖", "大道", false, "Jīnjīhú Dàdào", "JINJIHU DADAO"},
		{"浒墅关", "大道", false, "Xǔshùguān Dàdào", "XUSHUGUAN DADAO"},
		// A generic that became part of the specific stays in it (docs/domain.md §4).
		{"葑门", "路", false, "Fēngmén Lù", "FENGMEN LU"},
		{"高厍", "路", false, "Gāoshè Lù", "GAOSHE LU"},
		{"朴树头", "巷", false, "Pòshùtóu Xiàng", "POSHUTOU XIANG"},
		{"干将", "路", false, "Gānjiāng Lù", "GANJIANG LU"},
		// One-syllable modifier joins its head (1984 rules rule 2).
		{"景山后", "街", false, "Jǐngshān Hòujiē", "JINGSHAN HOUJIE"},
		{"干将西", "路", false, "Gānjiāng Xīlù", "GANJIANG XILU"},
		{"葑门横", "街", false, "Fēngmén Héngjiē", "FENGMEN HENGJIE"},
		{"清波门直", "街", false, "Qīngbōmén Zhíjiē", "QINGBOMEN ZHIJIE"},
		{"朝阳门内", "大街", false, "Cháoyángmén Nèidàjiē", "CHAOYANGMEN NEIDAJIE"},
		// …but not when the rest of the specific is a single syllable.
		{"河北", "路", false, "Héběi Lù", "HEBEI LU"},
		// Natural villages and towns joined (docs/domain.md §4).
		{"陆巷", "", true, "Lùxiàng", "LUXIANG"},
		{"周庄", "", true, "Zhōuzhuāng", "ZHOUZHUANG"},
		{"周", "庄", true, "Zhōuzhuāng", "ZHOUZHUANG"},
		{"甪直", "", true, "Lùzhí", "LUZHI"},
		{"葑门", "", true, "Fēngmén", "FENGMEN"},
		{"阊门", "", true, "Chāngmén", "CHANGMEN"},
		{"十里堡", "", true, "Shílǐpù", "SHILIPU"},
		{"蠡口", "", true, "Lǐkǒu", "LIKOU"},
		{"车坊", "", true, "Chēfāng", "CHEFANG"},
		// Apostrophe before a non-initial a/o/e syllable (1984 rules rule 11).
		{"西安", "", true, "Xī'ān", "XI'AN"},
		{"建瓯", "", true, "Jiàn'ōu", "JIAN'OU"},
		{"天峨", "", true, "Tiān'é", "TIAN'E"},
		{"天安", "门", false, "Tiān'ān Mén", "TIAN'AN MEN"},
		{"西", "安", false, "Xī Ān", "XI AN"}, // word-initial: no apostrophe
		// Numbers: pinyin in names (rule 6), digits for street ordinals (rule 7).
		{"五指", "山", false, "Wǔzhǐ Shān", "WUZHI SHAN"},
		{"第九", "弄", false, "Dì-9 Lòng", "DI-9 LONG"},
		{"第十二", "弄", false, "Dì-12 Lòng", "DI-12 LONG"},
		{"第六", "山", false, "Dìliù Shān", "DILIU SHAN"}, // not a street: pinyin
		// Latin letters and digits kept.
		{"1203", "高地", false, "1203 Gāodì", "1203 GAODI"},
		{"A", "区", false, "A Qū", "A QU"},
		// ü keeps its diaeresis on signs.
		{"吕", "巷", true, "Lǚxiàng", "LÜXIANG"},
		// Place-name readings of heteronyms (overrides.tsv; 1984 rules rule 8).
		{"长庆", "桥", false, "Chángqìng Qiáo", "CHANGQING QIAO"}, // 长 cháng by default
		{"长泾", "", true, "Chángjīng", "CHANGJING"},
		{"傀儡", "湖", false, "Kuǐlěi Hú", "KUILEI HU"},
		{"澹台", "湖", false, "Tántái Hú", "TANTAI HU"},
		{"曾赵", "园", false, "Zēngzhào Yuán", "ZENGZHAO YUAN"},
		{"斗姥", "阁", false, "Dǒumǔ Gé", "DOUMU GE"},
		{"楞伽", "塔", false, "Léngqié Tǎ", "LENGQIE TA"},
		// No neutral tone (轻声) except listed: 子 zǐ after a numeral and in 言子,
		// but 狮子 Shīzi as the atlases write it.
		{"七子", "山", false, "Qīzǐ Shān", "QIZI SHAN"},
		{"言子", "祠", false, "Yánzǐ Cí", "YANZI CI"},
		{"言子", "旧宅", false, "Yánzǐ Jiùzhái", "YANZI JIUZHAI"},
		{"狮子", "山", false, "Shīzi Shān", "SHIZI SHAN"},
		{"狮子林", "", false, "Shīzilín", "SHIZILIN"},
		// Long names cut into words (words.tsv, generics.tsv; 1984 rules rules 1, 10).
		{"苏州", "博物馆", false, "Sūzhōu Bówùguǎn", "SUZHOU BOWUGUAN"},
		{"苏州博物馆", "", false, "Sūzhōu Bówùguǎn", "SUZHOU BOWUGUAN"},
		{"苏州丝绸", "博物馆", false, "Sūzhōu Sīchóu Bówùguǎn", "SUZHOU SICHOU BOWUGUAN"},
		{"苏州博物馆西", "馆", false, "Sūzhōu Bówùguǎn Xīguǎn", "SUZHOU BOWUGUAN XIGUAN"},
		{"中国昆曲", "博物馆", false, "Zhōngguó Kūnqǔ Bówùguǎn", "ZHONGGUO KUNQU BOWUGUAN"},
		{"苏州工艺美术", "博物馆", false, "Sūzhōu Gōngyì Měishù Bówùguǎn", "SUZHOU GONGYI MEISHU BOWUGUAN"},
		{"平江历史文化", "街区", false, "Píngjiāng Lìshǐ Wénhuà Jiēqū", "PINGJIANG LISHI WENHUA JIEQU"},
		{"京杭", "大运河", false, "Jīng-Háng Dàyùnhé", "JING-HANG DAYUNHE"},
		{"江苏巡抚衙门", "旧址", false, "Jiāngsū Xúnfǔ Yámen Jiùzhǐ", "JIANGSU XUNFU YAMEN JIUZHI"},
		{"太平天国忠王", "府", false, "Tàipíng Tiānguó Zhōngwáng Fǔ", "TAIPING TIANGUO ZHONGWANG FU"},
		{"包山", "禅寺", false, "Bāoshān Chánsì", "BAOSHAN CHANSI"},
		{"苏州", "文庙", false, "Sūzhōu Wénmiào", "SUZHOU WENMIAO"},
		{"沙家浜", "风景区", false, "Shājiābāng Fēngjǐngqū", "SHAJIABANG FENGJINGQU"},
		{"开元寺无梁", "殿", false, "Kāiyuán Sì Wúliáng Diàn", "KAIYUAN SI WULIANG DIAN"},
		{"汾湖抗战", "纪念馆", false, "Fénhú Kàngzhàn Jìniànguǎn", "FENHU KANGZHAN JINIANGUAN"},
		// A single character between words joins its neighbour (rule 2).
		{"吴中区", "林场", false, "Wúzhōngqū Línchǎng", "WUZHONGQU LINCHANG"},
		{"东大街", "社区", false, "Dōngdàjiē Shèqū", "DONGDAJIE SHEQU"},
		// Brackets end a word.
		{"科技城（东渚街道）", "", false, "Kējìchéng Dōngzhǔ Jiēdào", "KEJICHENG DONGZHU JIEDAO"},
		// Person names: surname apart at a person's residence, tomb or memorial
		// (GB/T 16159-2012) …
		{"顾炎武", "故居", false, "Gù Yánwǔ Gùjū", "GU YANWU GUJU"},
		{"翁同龢", "纪念馆", false, "Wēng Tónghé Jìniànguǎn", "WENG TONGHE JINIANGUAN"},
		{"黄公望", "墓", false, "Huáng Gōngwàng Mù", "HUANG GONGWANG MU"},
		{"张士诚纪功", "碑", false, "Zhāng Shìchéng Jìgōng Bēi", "ZHANG SHICHENG JIGONG BEI"},
		{"费孝通江村", "纪念馆", false, "Fèi Xiàotōng Jiāngcūn Jìniànguǎn", "FEI XIAOTONG JIANGCUN JINIANGUAN"},
		{"严讷", "宅", false, "Yán Nè Zhái", "YAN NE ZHAI"},
		{"孙武", "苑", false, "Sūn Wǔ Yuàn", "SUN WU YUAN"},
		// … one word in a place named after the person (rule 8: 张自忠路 Zhāngzìzhōng Lù).
		{"顾炎武", "路", false, "Gùyánwǔ Lù", "GUYANWU LU"},
		{"孙武花园", "社区", false, "Sūnwǔ Huāyuán Shèqū", "SUNWU HUAYUAN SHEQU"},
		// Joined names are never segmented (docs/domain.md §4).
		{"苏州", "", true, "Sūzhōu", "SUZHOU"},
		{"常熟博物馆", "", true, "Chángshúbówùguǎn", "CHANGSHUBOWUGUAN"},
		{"顾炎武", "村", true, "Gùyánwǔcūn", "GUYANWUCUN"},
		// Segmentation keeps the modifier and ordinal rules.
		{"苏州", "西路", false, "Sūzhōu Xīlù", "SUZHOU XILU"},
		{"中国", "路", false, "Zhōngguó Lù", "ZHONGGUO LU"},
		// Punctuation dropped; only a generic.
		{"", "街", false, "Jiē", "JIE"},
		{"山·塘", "街", false, "Shāntáng Jiē", "SHANTANG JIE"},
		{"", "", false, "", ""},
	}
	for _, tt := range tests {
		if got := Standard(tt.specific, tt.generic, tt.joined); got != tt.want {
			t.Errorf("Standard(%q, %q, %v) = %q, want %q", tt.specific, tt.generic, tt.joined, got, tt.want)
		}
		if got := Sign(tt.specific, tt.generic, tt.joined); got != tt.sign {
			t.Errorf("Sign(%q, %q, %v) = %q, want %q", tt.specific, tt.generic, tt.joined, got, tt.sign)
		}
		if std, sign := Forms(tt.specific, tt.generic, tt.joined); std != tt.want || sign != tt.sign {
			t.Errorf("Forms(%q, %q, %v) = %q, %q, want %q, %q", tt.specific, tt.generic, tt.joined, std, sign, tt.want, tt.sign)
		}
	}
}

// TestOverrideTable checks every row of overrides.tsv: the reading is one
// go-pinyin knows for the character (no typos), or the neutral-tone form of one
// (a listed 轻声 exception: 衙门 yámen), and it is the one used inside the
// context word, by Syllables and by Standard.
func TestOverrideTable(t *testing.T) {
	rows := data().overrides
	if len(rows) < 15 {
		t.Fatalf("only %d override rows", len(rows))
	}
	for _, o := range rows {
		t.Run(string(o.Context), func(t *testing.T) {
			known := pinyin.SinglePinyin(o.Char, pinyin.Args{Style: pinyin.Tone, Heteronym: true})
			neutral := !toneMarked(o.Reading) && slices.ContainsFunc(known, func(k string) bool {
				return stripTones(k, false) == o.Reading
			})
			if !slices.Contains(known, o.Reading) && !neutral {
				t.Errorf("%c: reading %q not among go-pinyin's %v", o.Char, o.Reading, known)
			}
			ctx := string(o.Context)
			if got := Syllables(ctx)[o.Offset][0]; got != stripTones(o.Reading, true) {
				t.Errorf("Syllables(%q)[%d][0] = %q, want %q", ctx, o.Offset, got, stripTones(o.Reading, true))
			}
			if got := analyse(ctx)[0][o.Offset].Toned[0]; got != o.Reading {
				t.Errorf("reading of %c in %q = %q, want %q", o.Char, ctx, got, o.Reading)
			}
		})
	}
}

// TestOverrideScope checks overrides are word-level: 曾 is zēng in 曾赵 but
// keeps go-pinyin's preferred céng elsewhere; 长 is cháng in every place name
// (a whole-character row), where go-pinyin prefers zhǎng.
func TestOverrideScope(t *testing.T) {
	tests := []struct{ text, want string }{
		{"长洲", "changzhou"},
		{"长大", "changda"}, // place-name default, not the word "grow up"
		{"长庆桥", "changqingqiao"},
		{"曾赵园", "zengzhaoyuan"},
		{"曾经", "cengjing"},
		{"澹台湖", "tantaihu"},
		{"澹", "dan"},
		{"傀儡湖", "kuileihu"},
		{"斗姥阁", "doumuge"},
		{"北斗", "beidou"},
		{"楞伽塔", "lengqieta"},
		{"昆曲", "kunqu"},
		{"浒墅关", "xushuguan"},
		{"浒浦", "xupu"},
		{"七都", "qidu"},
		{"干家甸", "ganjiadian"},
		{"干涉", "ganshe"},
		{"大长港", "dachanggang"},
		{"长江", "changjiang"},
		{"十里堡", "shilipu"},
		{"城堡", "chengbao"},
		{"干将", "ganjiang"},
		{"第九弄", "dijiulong"},
	}
	for _, tt := range tests {
		if got := Toneless(tt.text); got != tt.want {
			t.Errorf("Toneless(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestSyllables(t *testing.T) {
	tests := []struct {
		text string
		want [][]string
	}{
		{"山塘街", [][]string{{"shan"}, {"tang"}, {"jie"}}},
		{"浒墅关", [][]string{{"xu", "hu"}, {"shu", "ye"}, {"guan"}}},
		{"朴树头", [][]string{{"po", "pu", "piao"}, {"shu"}, {"tou"}}},
		{"吕", [][]string{{"lv"}}},
		{"9号A-b", [][]string{{"9"}, {"hao", "xiao"}, {"a"}, {"b"}}},
		{"G312国道", [][]string{{"g312"}, {"guo"}, {"dao"}}},
		{"（山）", [][]string{{"shan"}}},
		{"", [][]string{}},
	}
	for _, tt := range tests {
		if got := Syllables(tt.text); fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("Syllables(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestTonelessInitials(t *testing.T) {
	tests := []struct{ text, toneless, initials string }{
		{"山塘街", "shantangjie", "stj"},
		{"甪直", "luzhi", "lz"},
		{"阊门", "changmen", "cm"},
		{"蠡墅", "lishu", "ls"},
		{"横塘", "hengtang", "ht"},
		{"吕公桥", "lvgongqiao", "lgq"},
		{"9号", "9hao", "9h"},
		{"", "", ""},
	}
	for _, tt := range tests {
		if got := Toneless(tt.text); got != tt.toneless {
			t.Errorf("Toneless(%q) = %q, want %q", tt.text, got, tt.toneless)
		}
		if got := Initials(tt.text); got != tt.initials {
			t.Errorf("Initials(%q) = %q, want %q", tt.text, got, tt.initials)
		}
	}
}

func TestSplit(t *testing.T) {
	tests := []struct{ name, specific, generic string }{
		{"山塘街", "山塘", "街"},
		{"平江路", "平江", "路"},
		{"观前街", "观前", "街"},
		{"太湖", "太", "湖"},
		{"木渎镇", "木渎", "镇"},
		{"金鸡湖大道", "金鸡湖", "大道"}, // longest match: 大道, not 道
		{"浒墅关大道", "浒墅关", "大道"},
		{"虎丘街道", "虎丘", "街道"},
		{"桃花坞大街", "桃花坞", "大街"},
		{"第九弄", "第九", "弄"},
		{"街", "街", ""},   // only a generic
		{"街道", "街道", ""}, // only a generic, even though it ends in 道
		{"虎丘", "虎丘", ""}, // no known generic
		{"", "", ""},
		// Generics of Suzhou names, longest first.
		{"苏州博物馆", "苏州", "博物馆"},
		{"苏州博物馆西馆", "苏州博物馆西", "馆"},
		{"苏州丝绸博物馆", "苏州丝绸", "博物馆"},
		{"平江历史文化街区", "平江历史文化", "街区"},
		{"京杭大运河", "京杭", "大运河"},
		{"沙家浜风景区", "沙家浜", "风景区"},
		{"包山禅寺", "包山", "禅寺"},
		{"苏州文庙", "苏州", "文庙"},
		{"顾炎武故居", "顾炎武", "故居"},
		{"开元寺无梁殿", "开元寺无梁", "殿"},
		{"太平天国忠王府", "太平天国忠王", "府"},
		{"斗姥阁", "斗姥", "阁"},
		{"江苏巡抚衙门旧址", "江苏巡抚衙门", "旧址"},
		{"言子旧宅", "言子", "旧宅"},
		{"狮子林", "狮子林", ""},
	}
	for _, tt := range tests {
		s, g := Split(tt.name)
		if s != tt.specific || g != tt.generic {
			t.Errorf("Split(%q) = (%q, %q), want (%q, %q)", tt.name, s, g, tt.specific, tt.generic)
		}
	}
}

func TestChineseNumber(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"九", 9, true}, {"十", 10, true}, {"十二", 12, true}, {"二十", 20, true},
		{"二十三", 23, true}, {"一百零五", 105, true}, {"一〇五", 105, true},
		{"两千", 2000, true}, {"十十", 0, false}, {"山", 0, false}, {"", 0, false},
	}
	for _, tt := range tests {
		got, ok := chineseNumber([]rune(tt.in))
		if got != tt.want || ok != tt.ok {
			t.Errorf("chineseNumber(%q) = %d, %v, want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseTablesErrors(t *testing.T) {
	bad := []struct{ name, overrides, generics, modifiers, words, names string }{
		{"columns", "浒墅关\t浒\txǔ\n", "", "", "", ""},
		{"char not in context", "甪直\t浒\txǔ\tsrc\n", "", "", "", ""},
		{"two-rune char", "浒墅关\t浒墅\txǔ\tsrc\n", "", "", "", ""},
		{"no source", "浒墅关\t浒\txǔ\t\n", "", "", "", ""},
		{"generic columns", "", "街\tstreet\n", "", "", ""},
		{"duplicate generic", "", "街\tstreet\ts\n街\tstreet\ts\n", "", "", ""},
		{"modifier", "", "", "东西\n", "", ""},
		{"word columns", "", "", "", "苏州\n", ""},
		{"one-character word", "", "", "", "苏\ts\n", ""},
		{"word not Han", "", "", "", "苏A\ts\n", ""},
		{"leading separator", "", "", "", "-苏州\ts\n", ""},
		{"trailing separator", "", "", "", "苏州 \ts\n", ""},
		{"double separator", "", "", "", "苏 -州\ts\n", ""},
		{"duplicate word", "", "", "", "苏州\ts\n苏州\ts\n", ""},
		{"name columns", "", "", "", "", "顾炎武\t顾\n"},
		{"surname not a prefix", "", "", "", "", "顾炎武\t炎\ts\n"},
		{"word and name", "", "", "", "孙武\ts\n", "孙武\t孙\ts\n"},
	}
	for _, tt := range bad {
		if _, err := parseTables(tt.overrides, tt.generics, tt.modifiers, tt.words, tt.names); err == nil {
			t.Errorf("%s: parseTables accepted bad data", tt.name)
		}
	}
	if _, err := parseTables(overridesTSV, genericsTSV, modifiersTXT, wordsTSV, namesTSV); err != nil {
		t.Fatalf("embedded data: %v", err)
	}
}

func ExampleStandard() {
	fmt.Println(Standard("山塘", "街", false))
	fmt.Println(Standard("景山后", "街", false))
	fmt.Println(Standard("陆巷", "", true))
	fmt.Println(Sign("浒墅关", "大道", false))
	// Output:
	// Shāntáng Jiē
	// Jǐngshān Hòujiē
	// Lùxiàng
	// XUSHUGUAN DADAO
}

// Split a name into its 专名 and 通名 (GB/T 17693.1: the generic is
// written apart), then romanize it; Toneless and Initials are what search
// matches typed pinyin against.
func ExampleSplit() {
	for _, name := range []string{"山塘街", "浒墅关大道", "十全街", "甪直镇"} {
		sp, gen := Split(name)
		fmt.Println(name, sp, gen, Standard(sp, gen, false), Toneless(name), Initials(name))
	}
	// Output:
	// 山塘街 山塘 街 Shāntáng Jiē shantangjie stj
	// 浒墅关大道 浒墅关 大道 Xǔshùguān Dàdào xushuguandadao xsgdd
	// 十全街 十全 街 Shíquán Jiē shiquanjie sqj
	// 甪直镇 甪直 镇 Lùzhí Zhèn luzhizhen lzz
}

func BenchmarkSyllables(b *testing.B) {
	data()
	for b.Loop() {
		Syllables("浒墅关大道")
	}
}

func BenchmarkToneless(b *testing.B) {
	data()
	for b.Loop() {
		Toneless("苏州工业园区金鸡湖大道")
	}
}
