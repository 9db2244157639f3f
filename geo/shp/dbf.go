package shp

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Field is one attribute column of the .dbf.
type Field struct {
	Name     string
	Type     byte // C text, N and F numbers, L logical, D date (YYYYMMDD)
	Length   int
	Decimals int
}

// detectBytes is how much of the table is looked at to tell UTF-8 from GBK
// when neither the .cpg nor the language driver says.
const detectBytes = 1 << 20

// dbf reads a dBASE III table record by record.
type dbf struct {
	f       *os.File
	r       *bufio.Reader
	n       int // records
	recLen  int
	fields  []Field
	offsets []int
	dec     *encoding.Decoder // nil: UTF-8
	encName string
	buf     []byte
	next    int
}

// codePages are the .cpg values of the encodings read, folded to upper case.
var codePages = map[string]encoding.Encoding{
	"UTF-8": nil, "UTF8": nil, "65001": nil,
	"GBK": simplifiedchinese.GB18030, "CP936": simplifiedchinese.GB18030, "936": simplifiedchinese.GB18030,
	"ANSI 936": simplifiedchinese.GB18030, "GB2312": simplifiedchinese.GB18030, "GB18030": simplifiedchinese.GB18030,
	"54936": simplifiedchinese.GB18030, "1252": charmap.Windows1252, "ANSI 1252": charmap.Windows1252,
	"ISO-8859-1": charmap.ISO8859_1, "ISO88591": charmap.ISO8859_1, "LATIN1": charmap.ISO8859_1, "88591": charmap.ISO8859_1,
}

// gbkDrivers are dBASE language driver ids of code page 936 (Chinese GBK).
var gbkDrivers = map[byte]bool{0x4D: true, 0x7A: true}

func openDBF(f *os.File, cpg string) (*dbf, error) {
	var h [32]byte
	if _, err := io.ReadFull(f, h[:]); err != nil {
		return nil, fmt.Errorf("too short for a dBASE header")
	}
	d := &dbf{f: f, n: int(binary.LittleEndian.Uint32(h[4:])), recLen: int(binary.LittleEndian.Uint16(h[10:]))}
	headLen := int(binary.LittleEndian.Uint16(h[8:]))
	if headLen < 33 || d.recLen < 1 {
		return nil, fmt.Errorf("not a dBASE table (header %d bytes, records %d bytes)", headLen, d.recLen)
	}
	desc := make([]byte, headLen-32)
	if _, err := io.ReadFull(f, desc); err != nil {
		return nil, fmt.Errorf("the header ends early")
	}
	var rawNames [][]byte
	off := 1 // the deletion flag
	for i := 0; i+32 <= len(desc) && desc[i] != 0x0D; i += 32 {
		fd := desc[i : i+32]
		name := fd[:11]
		if j := bytes.IndexByte(name, 0); j >= 0 {
			name = name[:j]
		}
		fl := Field{Type: fd[11], Length: int(fd[16]), Decimals: int(fd[17])}
		rawNames = append(rawNames, name)
		d.fields = append(d.fields, fl)
		d.offsets = append(d.offsets, off)
		off += fl.Length
	}
	if off > d.recLen {
		return nil, fmt.Errorf("fields take %d bytes but records are %d", off, d.recLen)
	}
	if err := d.chooseEncoding(cpg, h[29], int64(headLen)); err != nil {
		return nil, err
	}
	for i, n := range rawNames {
		if d.dec == nil {
			// Writers cut UTF-8 names at 10 bytes, sometimes inside a
			// character: drop the partial character.
			for k := 0; k < utf8.UTFMax-1 && !utf8.Valid(n) && len(n) > 0; k++ {
				n = n[:len(n)-1]
			}
		}
		s, err := d.decode(n)
		if err != nil {
			return nil, fmt.Errorf("field %d name: %w", i+1, err)
		}
		d.fields[i].Name = s
	}
	if _, err := f.Seek(int64(headLen), io.SeekStart); err != nil {
		return nil, err
	}
	d.r = bufio.NewReaderSize(f, 1<<16)
	d.buf = make([]byte, d.recLen)
	return d, nil
}

// chooseEncoding takes the .cpg, then the language driver, then looks at
// the records.
func (d *dbf) chooseEncoding(cpg string, ldid byte, dataStart int64) error {
	set := func(e encoding.Encoding, name string) {
		if e != nil {
			d.dec = e.NewDecoder()
		}
		d.encName = name
	}
	if cpg != "" {
		e, ok := codePages[strings.ToUpper(cpg)]
		if !ok {
			return fmt.Errorf("the .cpg names code page %q, which is not read (UTF-8, GBK/936, GB18030, 1252, ISO-8859-1)", cpg)
		}
		set(e, encodingName(e)+" (.cpg)")
		return nil
	}
	if gbkDrivers[ldid] {
		set(simplifiedchinese.GB18030, "GB18030 (GBK, from the language driver)")
		return nil
	}
	sample := make([]byte, detectBytes)
	n, _ := d.f.ReadAt(sample, dataStart)
	sample = sample[:n]
	switch {
	case isASCII(sample):
		set(nil, "UTF-8 (ASCII, detected)")
	case validUTF8Prefix(sample):
		set(nil, "UTF-8 (detected)")
	default:
		set(simplifiedchinese.GB18030, "GB18030 (GBK, detected)")
	}
	return nil
}

func encodingName(e encoding.Encoding) string {
	switch e {
	case nil:
		return "UTF-8"
	case simplifiedchinese.GB18030:
		return "GB18030 (GBK)"
	case charmap.Windows1252:
		return "Windows-1252"
	}
	return "ISO-8859-1"
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// validUTF8Prefix reports whether b is UTF-8, allowing its last rune to be
// cut off by the end of the sample.
func validUTF8Prefix(b []byte) bool {
	for i := 0; i < utf8.UTFMax && len(b) > 0; i++ {
		if utf8.Valid(b) {
			return true
		}
		b = b[:len(b)-1]
	}
	return len(b) == 0
}

func (d *dbf) decode(b []byte) (string, error) {
	b = bytes.Trim(b, " \x00")
	if d.dec == nil {
		if !utf8.Valid(b) {
			return "", fmt.Errorf("%q is not valid UTF-8 (is the table in another encoding? a .cpg file names it)", b)
		}
		return string(b), nil
	}
	if isASCII(b) {
		return string(b), nil
	}
	s, err := d.dec.Bytes(b)
	if err != nil || bytes.ContainsRune(s, utf8.RuneError) {
		return "", fmt.Errorf("%q is not valid %s", b, strings.Fields(d.encName)[0])
	}
	return string(s), nil
}

// record reads record i (records are read in order) and reports whether it
// is marked deleted.
func (d *dbf) record(i int) ([]string, bool, error) {
	if i != d.next {
		return nil, false, fmt.Errorf("records must be read in order")
	}
	d.next++
	if _, err := io.ReadFull(d.r, d.buf); err != nil {
		return nil, false, fmt.Errorf("the .dbf ends before record %d", i+1)
	}
	if d.buf[0] == '*' {
		return nil, true, nil
	}
	out := make([]string, len(d.fields))
	for j, f := range d.fields {
		s, err := d.decode(d.buf[d.offsets[j] : d.offsets[j]+f.Length])
		if err != nil {
			return nil, false, fmt.Errorf("%s: %w", f.Name, err)
		}
		out[j] = s
	}
	return out, false, nil
}
