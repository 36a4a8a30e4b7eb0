// Package newstext generates realistic multi-paragraph news and conflict
// reports for benchmarks: datelines, quotes, people with titles, agencies,
// numbers, dates, and place names in the forms news writes them ("Aleppo's",
// "Idlib province", "Paris, Texas", "U.S.", "Russian"). The text is
// written for geotag; it copies no real article.
package newstext

import (
	"math/rand/v2"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Places are the place names the generator uses, as news writes them.
var Places = []string{
	"Aleppo", "Idlib", "Damascus", "Homs", "Hama", "Raqqa", "Deir ez-Zor", "Daraa", "Latakia", "al-Hasakah",
	"Manbij", "Kobani", "Afrin", "Douma", "Eastern Ghouta", "Khan Sheikhoun", "Ras al-Ain", "Tal Abyad",
	"Amman", "Beirut", "Tripoli", "Baghdad", "Mosul", "Fallujah", "Ramadi", "Kirkuk", "Erbil", "Basra",
	"Gaza", "Khan Younis", "Rafah", "Jerusalem", "Ramallah", "Hebron", "Cairo", "Alexandria", "Sinai",
	"Benghazi", "Misrata", "Sirte", "Khartoum", "Darfur", "El Fasher", "Sanaa", "Aden", "Taiz", "Hodeidah",
	"Kabul", "Kandahar", "Herat", "Kunduz", "Istanbul", "Ankara", "Gaziantep", "Kyiv", "Kharkiv", "Donetsk",
	"Mariupol", "Odesa", "Kherson", "Moscow", "Geneva", "Paris", "London", "Washington", "Brussels", "Berlin",
	"Nice", "Marseille", "Springfield", "Columbus", "Richmond", "Dublin", "Athens", "Georgia", "Texas",
	"Ohio", "Virginia", "Kentucky", "Syria", "Iraq", "Jordan", "Lebanon", "Turkey", "Russia", "Ukraine",
	"Yemen", "Libya", "Sudan", "Egypt", "Iran", "Israel", "France", "Germany", "the Euphrates", "the Black Sea",
	"the Middle East", "Europe",
}

var countries = []string{"Syria", "Iraq", "Jordan", "Lebanon", "Turkey", "Russia", "Ukraine", "Yemen", "Libya", "Sudan", "France", "Texas", "Ohio"}
var demonyms = []string{"Russian", "Syrian", "American", "Turkish", "Iraqi", "Ukrainian", "French", "Iranian", "Israeli", "U.S.", "UN", "Kurdish"}
var people = []string{"John Kerry", "Sergei Lavrov", "Michael Jordan", "Victoria Nuland", "Maria Lopez", "Ahmed Hassan",
	"Olga Petrenko", "David Miller", "Fatima al-Sayed", "James Carter", "Lina Haddad", "Omar Khalil"}
var titles = []string{"Foreign Minister", "Secretary of State", "Gen.", "spokesman", "Mayor", "Gov.", "President", "Dr."}
var orgs = []string{"Jabhat al-Nusra", "the Islamic State", "the Sham Front", "Human Rights Watch", "the Red Cross",
	"the World Health Organization", "Médecins Sans Frontières", "the Syrian Observatory for Human Rights", "Reuters", "the Jordan Times"}
var days = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
var months = []string{"January", "March", "May", "July", "September", "November"}

var templates = []string{
	"{P} said on {D} that at least {N} people were killed in {L} after {A} airstrikes hit a market.",
	"Activists report a series of large explosions on {D} night near {L}, east of {L2}.",
	"The {A} military and allied militias advanced north of {L}, closing the last route into {L2}.",
	"{T} {P} arrived in {L} on {D} to discuss the ceasefire with officials from {C}.",
	"Fighting in {L}'s western districts displaced {N} families, according to {O}.",
	"“We cannot reach the wounded in {L},” {P} told reporters in {L2}. “The roads are closed.”",
	"Aid convoys left {L} for {L2}, {C}, carrying food and medicine for {N} people.",
	"{O} accused {A} forces of shelling {L} and the villages around it.",
	"Police said a truck attack in {L} killed {N} people on {D}; the driver was shot dead.",
	"Reading the reports from {L}, analysts see a pattern: strikes on hospitals and schools.",
	"Mobile clinics run by {O} treated {N} patients in {L} province in {M}.",
	"Residents of {L} fled toward the border with {C} as the front line moved south.",
	"The {A} envoy met {T} {P} in {L} to prepare talks due in {M}.",
	"Water levels on the Euphrates near {L} fell by {N} centimetres, officials in {L2} said.",
	"{P}, {N}, a teacher from {L}, said her family had moved three times since {M}.",
	"Nice weather helped firefighters contain the blaze outside {L} by {D} evening.",
	"Satellite images show new trenches between {L} and {L2}, {N} kilometres apart.",
	"The governor of {L} province ordered a curfew after clashes on {D}.",
	"{A} officials in {L} denied the claims and blamed {O} for the attack.",
	"Prices of bread in {L} have tripled since {M}, traders in the old market said.",
}

// filler are sentences without place names: real reports name a place
// every 200–350 bytes (LGL and GeoVirus average one per 340), and most of
// their words are ordinary prose, numbers, dates, people and quotes.
var filler = []string{
	"The figures could not be independently verified, and officials declined to comment further.",
	"“We have not slept for three nights,” said {P}, who asked that her village not be named.",
	"{T} {P} told a news conference on {D} that the talks would continue next week.",
	"Prices for fuel and flour have risen by {N} percent since {M}, according to traders.",
	"Hospitals are running short of anaesthetics, blood bags and generator fuel, doctors said.",
	"The ceasefire, agreed in {M}, has been broken repeatedly by both sides.",
	"{O} said it had documented {N} cases of arbitrary detention in the past year.",
	"Schools remained closed for a second week, and many families kept their children at home.",
	"A spokesman for the coalition said the strikes targeted weapons depots and command posts.",
	"Nice words will not feed anyone, one aid worker said; what people need is access.",
	"Police said they had arrested {N} suspects and seized weapons and ammunition.",
	"The vote is expected on {D}, although several lawmakers have asked for a delay.",
}

// Doc returns one report of about n bytes, deterministic for a seed.
func Doc(seed uint64, n int) string {
	r := rand.New(rand.NewPCG(seed, seed*7919+1))
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	var b strings.Builder
	b.WriteString(strings.ToUpper(pick(Places[:60])) + " — ")
	for b.Len() < n {
		for s := 0; s < 3+r.IntN(4) && b.Len() < n; s++ {
			t := pick(templates)
			if r.IntN(10) < 6 {
				t = pick(filler)
			}
			t = strings.NewReplacer(
				"{P}", pick(people), "{T}", pick(titles), "{D}", pick(days), "{M}", pick(months),
				"{L2}", pick(Places), "{L}", pick(Places), "{C}", pick(countries), "{A}", pick(demonyms),
				"{O}", pick(orgs), "{N}", itoa(2+r.IntN(400)),
			).Replace(t)
			if t[0] >= 'a' && t[0] <= 'z' {
				t = strings.ToUpper(t[:1]) + t[1:]
			}
			b.WriteString(t)
			b.WriteByte(' ')
		}
		b.WriteString("\n\n")
	}
	return b.String()
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var d [8]byte
	i := len(d)
	for n > 0 {
		i--
		d[i] = byte('0' + n%10)
		n /= 10
	}
	return string(d[i:])
}

// BareScan is the speed baseline the tagger benchmarks compare with: the text lower-cased into one buffer, split
// into words at anything that is not a letter or digit, and every 1–4-word
// span joined with single spaces and looked up in names. It allocates once
// per call (the Go compiler looks a map up by string(bytes) without copying).
func BareScan(text string, names map[string]struct{}) int {
	low := make([]byte, 0, len(text)+8)
	var starts, ends []int
	in := false
	for _, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if !in {
				starts = append(starts, len(low))
				in = true
			}
			low = utf8.AppendRune(low, unicode.ToLower(r))
			continue
		}
		if in {
			ends = append(ends, len(low))
			in = false
		}
	}
	if in {
		ends = append(ends, len(low))
	}
	hits := 0
	var buf []byte
	for i := range starts {
		buf = buf[:0]
		for n := 0; n < 4 && i+n < len(starts); n++ {
			if n > 0 {
				buf = append(buf, ' ')
			}
			buf = append(buf, low[starts[i+n]:ends[i+n]]...)
			if _, ok := names[string(buf)]; ok {
				hits++
			}
		}
	}
	return hits
}
