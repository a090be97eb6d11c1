package mapping

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxSuffixRunes, maxSuffixWords and maxSuffixWordRunes bound what may
// follow a house number and still count as its suffix ("bis", "bus 3",
// "hs", "II"); longer text after a number means the number belongs to the
// street name ("Straße des 17. Juni").
const (
	maxSuffixRunes     = 8
	maxSuffixWords     = 2
	maxSuffixWordRunes = 3
)

// isSuffix reports whether the words after a number are a house number
// suffix: at most two short words or numbers.
func isSuffix(words []string) bool {
	if len(words) > maxSuffixWords || utf8.RuneCountInString(strings.Join(words, " ")) > maxSuffixRunes {
		return false
	}
	for _, w := range words {
		if utf8.RuneCountInString(w) > maxSuffixWordRunes && strings.TrimLeft(w, "0123456789") != "" {
			return false
		}
	}
	return true
}

// SplitStreet splits a street line into street, house number and suffix,
// as splitStreet does in expressions. It reads Dutch, Belgian and German
// lines with the number after the street and English lines with the number
// first:
//
//	"Hoofdstraat 12a"          -> "Hoofdstraat", "12", "a"
//	"Kerkstraat 1-3"           -> "Kerkstraat", "1", "-3"
//	"Lange Nieuwstraat 12 bis" -> "Lange Nieuwstraat", "12", "bis"
//	"Hauptstraße 5 b"          -> "Hauptstraße", "5", "b"
//	"Rue de la Loi 16 bus 3"   -> "Rue de la Loi", "16", "bus 3"
//	"Straße des 17. Juni 135"  -> "Straße des 17. Juni", "135", ""
//	"12 Main Street"           -> "Main Street", "12", ""
//	"Hoofdstraat12a"           -> "Hoofdstraat", "12", "a"
//
// A suffix keeps a leading "-" (so [connector.Address.StreetLine] joins
// "1-3" back together); other separators between number and suffix ("/",
// ".", ",") are dropped. A line without a recognisable number is returned
// whole as the street. SplitStreet never fails: any input gives some
// split, and blank input gives all empty parts.
func SplitStreet(line string) StreetParts {
	words := strings.Fields(line)
	if len(words) == 0 {
		return StreetParts{}
	}
	// Number after the street: the first word starting with a digit that
	// has a street before it and at most a short suffix after it (so that
	// in "Rue de la Loi 16 bus 3" the number is 16, and in "Straße des
	// 17. Juni 135" it is 135).
	for i := 1; i < len(words); i++ {
		rest := words[i+1:]
		if !startsWithDigit(words[i]) || !isSuffix(rest) {
			continue
		}
		num, attached := splitNumber(words[i])
		suffix := strings.TrimSpace(strings.Join(append([]string{attached}, rest...), " "))
		return StreetParts{
			Street: strings.TrimRight(strings.Join(words[:i], " "), ","),
			Number: num,
			Suffix: suffix,
		}
	}
	// Number first, English style: "12 Main Street", "221B Baker Street".
	if startsWithDigit(words[0]) {
		num, attached := splitNumber(strings.TrimRight(words[0], ","))
		return StreetParts{Street: strings.Join(words[1:], " "), Number: num, Suffix: attached}
	}
	// Number glued to the street: "Hoofdstraat12a". At least three letters
	// before the digits, so that road names such as "A2" stay whole.
	last := words[len(words)-1]
	if at := strings.IndexFunc(last, unicode.IsDigit); at >= 3 && isLetters(last[:at]) {
		num, attached := splitNumber(last[at:])
		street := strings.Join(append(words[:len(words)-1:len(words)-1], last[:at]), " ")
		return StreetParts{Street: street, Number: num, Suffix: attached}
	}
	return StreetParts{Street: strings.Join(words, " ")}
}

func startsWithDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

func isLetters(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return s != ""
}

// splitNumber splits a word that starts with digits into the digits and
// what is attached to them, without separators other than "-":
// "12a" -> "12", "a"; "1-3" -> "1", "-3"; "12/A" -> "12", "A".
func splitNumber(w string) (num, suffix string) {
	end := 0
	for end < len(w) && w[end] >= '0' && w[end] <= '9' {
		end++
	}
	suffix = strings.TrimLeft(w[end:], "/.,")
	return w[:end], suffix
}
