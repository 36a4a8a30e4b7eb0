package geotag

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// monthNames maps the month names live blogs write in dated headings, in
// lower case, to month numbers: English (with abbreviations), Russian and
// Ukrainian (the genitive of "16 июля", "16 липня", and the nominative),
// and Arabic (the Egyptian names, يوليو, and the Levantine ones, تموز,
// which pages often write together: "16 يوليو/تموز").
var monthNames = map[string]int{}

func init() {
	lists := [][]string{
		{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"},
		{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"},
		{"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"},
		{"январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"},
		{"січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня", "вересня", "жовтня", "листопада", "грудня"},
		{"січень", "лютий", "березень", "квітень", "травень", "червень", "липень", "серпень", "вересень", "жовтень", "листопад", "грудень"},
		{"يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"},
		{"كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول"},
	}
	for _, l := range lists {
		for i, name := range l {
			monthNames[name] = i + 1
		}
	}
	monthNames["sept"] = 9
	monthNames["ابريل"] = 4
	monthNames["اغسطس"] = 8
	monthNames["اكتوبر"] = 10
}

// pageDate is a calendar date read from a page; Year is 0 when the page
// left it out.
type pageDate struct{ Year, Month, Day int }

// dateAt reads a date at the start of s (lower case, ASCII digits): ISO
// "2016-07-16", day-first "16.07.2016" or "16/07/2016", "16 July [2016]",
// "July 16[,] [2016]", in the languages of monthNames, with a trailing
// year word ("года", "г.", "р.", "року") taken too. It returns the date and
// the bytes taken, 0 when there is none.
func dateAt(s string) (pageDate, int) {
	if d, n := numericDateAt(s); n > 0 {
		return d, n
	}
	if num := digitsAt(s, 3); len(num) == 1 || len(num) == 2 {
		day, _ := strconv.Atoi(num)
		i := skipSpace(s, len(num))
		if i < len(s) && s[i] == '.' { // "16. Juli" style
			i = skipSpace(s, i+1)
		}
		m, j := monthAt(s, i)
		if m == 0 || j == i || day < 1 || day > 31 {
			return pageDate{}, 0
		}
		d := pageDate{Month: m, Day: day}
		return yearAfter(s, j, d)
	}
	m, j := monthAt(s, 0)
	if m == 0 {
		return pageDate{}, 0
	}
	i := skipSpace(s, j)
	num := digitsAt(s[i:], 3)
	day, _ := strconv.Atoi(num)
	if len(num) == 0 || len(num) > 2 || day < 1 || day > 31 || letterAt(s, i+len(num)) {
		return pageDate{}, 0
	}
	i += len(num)
	for _, suf := range []string{"st", "nd", "rd", "th"} {
		if strings.HasPrefix(s[i:], suf) && !letterAt(s, i+2) {
			i += 2
		}
	}
	return yearAfter(s, i, pageDate{Month: m, Day: day})
}

// numericDateAt reads "2016-07-16", "16.07.2016" or "16/07/2016" (day
// first unless the first number cannot be a month's day but the second
// can: "07/16/2016").
func numericDateAt(s string) (pageDate, int) {
	if len(s) >= 10 && len(digitsAt(s, 4)) == 4 && s[4] == '-' && len(digitsAt(s[5:], 2)) == 2 && s[7] == '-' && len(digitsAt(s[8:], 2)) == 2 && !digitAt(s, 10) {
		y, _ := strconv.Atoi(s[:4])
		m, _ := strconv.Atoi(s[5:7])
		d, _ := strconv.Atoi(s[8:10])
		return validDate(pageDate{y, m, d}, 10)
	}
	a := digitsAt(s, 3)
	if len(a) == 0 || len(a) > 2 || len(s) <= len(a) || (s[len(a)] != '.' && s[len(a)] != '/') {
		return pageDate{}, 0
	}
	sep := s[len(a)]
	i := len(a) + 1
	b := digitsAt(s[i:], 3)
	if len(b) == 0 || len(b) > 2 || i+len(b) >= len(s) || s[i+len(b)] != sep {
		return pageDate{}, 0
	}
	i += len(b) + 1
	y := digitsAt(s[i:], 5)
	if len(y) != 4 {
		return pageDate{}, 0
	}
	d, _ := strconv.Atoi(a)
	m, _ := strconv.Atoi(b)
	if m > 12 && d <= 12 {
		d, m = m, d
	}
	year, _ := strconv.Atoi(y)
	return validDate(pageDate{year, m, d}, i+4)
}

func validDate(d pageDate, n int) (pageDate, int) {
	if d.Month < 1 || d.Month > 12 || d.Day < 1 || d.Day > 31 || d.Year < 1900 || d.Year >= 2200 {
		return pageDate{}, 0
	}
	return d, n
}

// monthAt reads a month name at byte i of s: one or two words (Arabic
// names such as "تشرين الأول"), an English abbreviation with or without
// its dot, and a second name after a slash ("يوليو/تموز"). It returns the
// month (0 for none) and the byte after it.
func monthAt(s string, i int) (int, int) {
	w1 := wordAt(s, i)
	if w1 == "" {
		return 0, i
	}
	j := i + len(w1)
	m := 0
	if k := skipSpace(s, j); k > j {
		if w2 := wordAt(s, k); w2 != "" {
			if mm, ok := monthNames[w1+" "+w2]; ok {
				m, j = mm, k+len(w2)
			}
		}
	}
	if m == 0 {
		mm, ok := monthNames[w1]
		if !ok {
			return 0, i
		}
		m = mm
	}
	if j < len(s) && s[j] == '.' && utf8.RuneCountInString(w1) <= 4 {
		j++
	}
	if j < len(s) && s[j] == '/' {
		if m2, k := monthAt(s, j+1); m2 == m {
			j = k
		}
	}
	return m, j
}

// yearAfter reads an optional year after a day and month ("16 July, 2016",
// "16 июля 2016 года") and returns the date and the bytes taken.
func yearAfter(s string, i int, d pageDate) (pageDate, int) {
	k := i
	if k < len(s) && s[k] == ',' {
		k++
	}
	k = skipSpace(s, k)
	y := digitsAt(s[k:], 5)
	if len(y) != 4 || letterAt(s, k+4) {
		return d, i
	}
	d.Year, _ = strconv.Atoi(y)
	if d.Year < 1900 || d.Year >= 2200 {
		return pageDate{}, 0
	}
	k += 4
	j := skipSpace(s, k)
	for _, w := range []string{"года", "году", "року", "г.", "р.", "م"} {
		if strings.HasPrefix(s[j:], w) && !letterAt(s, j+len(w)) {
			return d, j + len(w)
		}
	}
	return d, k
}

// wordAt returns the run of letters at byte i of s.
func wordAt(s string, i int) string {
	j := i
	for j < len(s) {
		r, n := utf8.DecodeRuneInString(s[j:])
		if !unicode.IsLetter(r) && !unicode.Is(unicode.Mn, r) {
			break
		}
		j += n
	}
	return s[i:j]
}

// skipSpace returns the first byte at or after i that is not a space.
func skipSpace(s string, i int) int {
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(r) {
			break
		}
		i += n
	}
	return i
}

func digitAt(s string, i int) bool { return i < len(s) && s[i] >= '0' && s[i] <= '9' }
