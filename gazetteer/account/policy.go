package account

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn"

	"wumen/gazetteer"
)

// MinPasswordScore is the zxcvbn score a new password needs (0–4; 3 is
// "safely unguessable", about 10⁸ guesses). zxcvbn estimates guesses against
// its bundled frequency lists — common passwords from leaked sets, names,
// English words — plus keyboard patterns, repeats, sequences and dates, so a
// password on a common-password list scores 0 (OWASP ASVS 4.0 V2.1.7: check
// new passwords against breached and common ones). The estimator is
// github.com/trustelem/zxcvbn (MIT, a Go port of Dropbox's zxcvbn).
const MinPasswordScore = 3

// CheckPassword refuses a password an attacker would guess early, saying why
// in words a user can act on: shorter than MinPasswordLen characters, only
// white space, one or two characters repeated, or guessable by zxcvbn (the
// user's own name and the product's count as known words).
func CheckPassword(password, user string) error {
	bad := func(why string) error {
		return gazetteer.Errorf(gazetteer.EInvalid, "the password %s; choose a longer one of unrelated words", why)
	}
	if strings.TrimFunc(password, unicode.IsSpace) == "" {
		return bad("is only white space")
	}
	if utf8.RuneCountInString(password) < MinPasswordLen {
		return bad("needs at least " + strconv.Itoa(MinPasswordLen) + " characters")
	}
	distinct := map[rune]bool{}
	for _, r := range password {
		distinct[r] = true
	}
	if len(distinct) <= 2 {
		return bad("repeats one or two characters")
	}
	if r := zxcvbn.PasswordStrength(password, []string{user, "wumen", "suzhou", "officer", "admin"}); r.Score < MinPasswordScore {
		return bad("is too easy to guess (a common password, a word with digits, a keyboard row or a sequence)")
	}
	return nil
}
