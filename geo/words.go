package geo

import (
	_ "embed"
	"strings"
	"sync"

	"github.com/geotag/geotag"
)

//go:embed data/english.txt
var englishTxt string

//go:embed data/given.txt
var givenTxt string

// wordSet is a set of token keys.
type wordSet map[string]struct{}

func (s wordSet) has(k string) bool { _, ok := s[k]; return ok }

// parseWords reads whitespace-separated words, skipping lines that start
// with #, and keys them as the tagger keys text.
func parseWords(txt string) wordSet {
	s := wordSet{}
	for _, line := range strings.Split(txt, "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		for _, w := range strings.Fields(line) {
			s[geotag.NameKey(w)] = struct{}{}
		}
	}
	return s
}

// keySet keys whole names, which may have several words.
func keySet(names ...string) wordSet {
	s := wordSet{}
	for _, n := range names {
		s[geotag.NameKey(n)] = struct{}{}
	}
	return s
}

func setOf(words ...string) wordSet { return parseWords(strings.Join(words, " ")) }

// Word flags: which lists a token key is on, looked up once per token.
const (
	fConnect uint32 = 1 << iota
	fStop
	fGeneric
	fCalendar
	fSpeech
	fTitles
	fGivenAll
	fGiven
	fOrgAfter
	fStreet
	fEnglish
	fOrgStart
	fLocCue
	fOfCue
	fStopArabic
)

// buildFlags merges the one-word lists into one map of flags.
func (l *lexicon) buildFlags() {
	l.flags = map[string]uint32{}
	for _, x := range []struct {
		s wordSet
		f uint32
	}{
		{l.connect, fConnect}, {l.stop, fStop}, {l.generic, fGeneric}, {l.calendar, fCalendar}, {l.speech, fSpeech},
		{l.titles, fTitles}, {l.givenAll, fGivenAll}, {l.given, fGiven}, {l.orgAfter, fOrgAfter}, {l.street, fStreet},
		{l.english, fEnglish}, {l.orgStart, fOrgStart}, {l.locCue, fLocCue}, {l.ofCue, fOfCue}, {l.stopArabic, fStopArabic},
	} {
		for k := range x.s {
			l.flags[k] |= x.f
		}
	}
}

// lexicon holds the word lists the recogniser consults.
type lexicon struct {
	// Small closed classes, keyed like text (geotag.NameKey folds spellings:
	// "southern" is keyed "suthern", so literals must go through it too).
	roadNum, streetAbbrev, streetAmbig, titleAbbrev                        wordSet
	container1, container2, container3                                     wordSet
	langBefore, langAfter, orgHard, disease, personNoun, locStrong, dirAdj wordSet
	armedGroup                                                             wordSet // the last word of an armed group's name: "Arakan Army"
	cueADM1, cueADM2, cueP, cueRiver, cueWater, cueRelief                  wordSet
	kThe, kIn, kAnd, kOr, kOf, kAl, kEl, kRural                            string

	flags      map[string]uint32 // key → f* flags
	english    wordSet           // ordinary (lower-case) English words
	street     wordSet           // words after a name that make it a street
	given      wordSet           // common given names, hand-written: alone they are no place without evidence
	givenAll   wordSet           // given names including a large list: a capitalised word after one is a surname
	titles     wordSet           // words before a person's name
	orgAfter   wordSet           // words after a name that make it an organisation or institution
	orgStart   wordSet           // words that open an organisation's name
	calendar   wordSet           // days, months, holidays
	generic    wordSet           // directions, ordinals and generic nouns that are no name alone
	speech     wordSet           // verbs of saying after a person's name
	locCue     wordSet           // prepositions before a place
	ofCue      wordSet           // words that make a following "of" locative: "north of", "the city of"
	connect    wordSet           // lower-case words allowed inside a multi-word name
	stop       wordSet           // function words that are never names on their own
	stopArabic wordSet           // the same in Arabic script
	notPlace   wordSet           // keys of well-known names that are no places: organisations, brands, figures
	groups     wordSet           // religions and peoples that are no country\'s demonym: Arab, Muslim, Sunni
	facility   wordSet           // lower-case words of facility names: "Mosul Dam" is also written "Mosul dam"
}

// sharedLexicon parses the embedded word lists once per process; the
// lexicon is read-only and shared by every Tagger.
var sharedLexicon = sync.OnceValue(newLexicon)

func newLexicon() *lexicon {
	l := &lexicon{
		english: parseWords(englishTxt),
		street: setOf(`street st avenue ave road rd drive dr lane ln boulevard blvd parkway pkwy place pl way trail circle
			terrace pike plaza alley expressway freeway turnpike`),
		given:    parseWords(givenTxt[:strings.Index(givenTxt, "\n# From ")]),
		givenAll: parseWords(givenTxt),
		titles: setOf(`president vice secretary minister premier chancellor mr mrs ms miss dr prof professor
			gen general col colonel lt lieutenant maj major capt captain sgt sergeant cpl corporal pvt adm admiral
			sen senator rep representative gov governor mayor councilman councilwoman commissioner sheriff deputy
			king queen prince princess sheikh shaikh emir pope cardinal bishop rev reverend father sister brother imam rabbi
			judge justice attorney officer detective agent chief coach sir lord lady dame ambassador envoy spokesman
			spokeswoman spokesperson chairman chairwoman director superintendent trooper patrolman inspector constable
			mullah ayatollah hajji haji mufti sultan tsar czar`),
		// Institutions named after their place ("Oxford Police", "Columbus
		// Council") keep the place, as news gold sets annotate it; armed
		// groups, parties, media and firms named after one do not.
		orgAfter: setOf(`front brigade brigades battalion battalions regiment corps militia movement party
			times post herald tribune journal gazette chronicle observer telegraph courier daily elementary
			airlines airways railways bank group company corporation corp inc ltd llc co fc army
			united rovers wanderers athletic motors pharmaceuticals holdings partners`),
		// Words that start a new sentence-level unit but never name a place alone.
		calendar: setOf(`monday tuesday wednesday thursday friday saturday sunday
			january february march april may june july august september october november december
			jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
			christmas easter passover ramadan eid thanksgiving halloween hanukkah yom kippur lent advent`),
		generic: setOf(`north south east west northeast northwest southeast southwest central center centre
			northern southern eastern western upper lower middle downtown midtown uptown mid
			first second third fourth fifth sixth seventh eighth ninth tenth
			state states city town village county district province region area zone section sector block
			street road avenue square park lake river mountain valley island beach bay hill hills gulf coast
			god jesus christ allah lord bible church mosque temple
			republic kingdom union federation government national international federal
			president king queen prince general minister senator governor mayor`),
		orgStart: setOf(`united jabhat jaish jabha liwa harakat harakat ahrar hayat haiat kataib katibat ansar fatah hezbollah hizbollah
			hamas tahrir faylaq saraya`),
		speech: setOf(`said says told added asked argued insisted stated wrote explained noted warned claimed announced
			replied admitted denied urged tweeted`),
		locCue: setOf(`in near at from to into outside inside toward towards across around through throughout via within
			between beyond past reach reached reaching entered entering visit visited visiting
			retook recaptured captured seized shelled bombed besieged stormed liberated overran encircled
			attacked raided struck ambushed targeted reinforced bombarded
			northern southern eastern western central downtown suburban rural`),
		ofCue: setOf(`north south east west northeast northwest southeast southwest outside city town village
			province state county district suburb suburbs outskirts heart centre center capital`),
		connect: setOf(`of the de del della des di du da do dos das la le les los las el al ad ar as ash az ez es en an ibn bin bint
			bani beni bou abu um umm upon on sur am im an der den von van y e and sidi au aux i ul`),
		notPlace: keySet("hamas", "hezbollah", "hizbollah", "hizballah", "fatah", "taliban", "qaeda", "al qaeda", "isis", "isil",
			"kremlin", "pentagon", "white house", "downing street", "red cross", "red crescent", "santa claus", "nazi",
			"nazis", "islam", "nato", "opec", "unicef", "unesco", "unhcr",
			// armed groups whose names are also minor places: "Boko Haram" (Boko, Kazakhstan; Al Haram,
			// Yemen), "al-Shabaab" (a village in Iraq)
			"boko", "haram", "boko haram", "shabaab", "al shabaab", "shabab", "al shabab"),
		groups: setOf(`arab arabs muslim muslims moslem christian christians jewish jew jews hindu hindus sikh sikhs buddhist
			buddhists catholic catholics protestant protestants orthodox sunni sunnis shia shiite shiites shiia alawite alawites
			druze ismaili ismailis islamic islamist islamists holy latino latinos hispanic hispanics bedouin bedouins
			bahai houthi houthis tebu toubou tuareg tuaregs fulani`),
		// Arabic function and time words: a script without capitals gives no
		// other sign that a word is no name.
		stopArabic: setOf(`في من على إلى الى عن مع هذا هذه ذلك تلك التي الذي الذين و أو او ثم حتى بعد قبل بين عند كل كان كانت قد لقد
			لم لن لا ما ماذا هل قال قالت يوم اليوم أمس امس غدا الآن الان صباح مساء ليلة شهر عام سنة منذ خلال حول ضد نحو عبر أن ان إن
			انه أنه التى هو هي هم نحن أنا انا`),
		stop: setOf(`the a an and or but of in on at to for with by from as is was are were be been this that these those it its
			he she they we you i his her their our my your not no so if than then there here what which who whom when
			where why how all any each every some such one two three new old`),
	}
	l.facility = setOf(`air base airbase airport airfield dam nuclear power plant station crossing border bridge hospital
		prison port steel works steelworks medical complex military naval facility`)
	l.roadNum = setOf("highway route interstate")
	l.streetAbbrev = setOf("st ave rd ln blvd pkwy")
	l.streetAmbig = setOf("dr place pl way circle")
	l.titleAbbrev = setOf("st ste ft mt pt")
	l.container1 = setOf("camp")
	l.container2 = setOf("district county parish township municipality raion subdistrict neighborhood neighbourhood")
	l.container3 = setOf("province governorate oblast region river valley mountains desert")
	l.langBefore = setOf("in speak speaks spoke speaking fluent translated translate")
	l.langAfter = setOf("language languages speaking speaker speakers translation translator subtitles version dub dubbed")
	l.orgHard = setOf("front brigade brigades battalion battalions regiment corps militia movement party")
	l.armedGroup = setOf("army front brigade brigades battalion battalions militia")
	l.disease = setOf("virus viruses ebolavirus fever flu influenza disease syndrome strain strains vaccine")
	l.personNoun = setOf(`wife husband son daughter mother father brother sister children kids family lawyer lawyers
		attorney attorneys defense defence trial arrest death parents girlfriend boyfriend widow fiancee fiance campaign
		lawsuit sentencing conviction funeral bail sentence testimony indictment resignation career birthday wedding`)
	l.locStrong = setOf("in near outside into across throughout toward towards around")
	l.dirAdj = setOf(`northern southern eastern western central northeastern northwestern southeastern southwestern
		north south east west rural northwest northeast southwest southeast`)
	l.cueADM1 = setOf("province governorate state oblast region wilaya muhafazat prefecture countryside")
	l.cueADM2 = setOf("county parish municipality borough district raion township")
	l.cueP = setOf("city town village camp neighborhood neighbourhood suburb quarter")
	l.cueRiver = setOf("river valley")
	l.cueWater = setOf("sea gulf lake bay ocean strait")
	l.cueRelief = setOf("mountains mountain mount hills desert peninsula island islands")
	k := geotag.NameKey
	l.kThe, l.kIn, l.kAnd, l.kOr, l.kOf, l.kAl, l.kEl, l.kRural = k("the"), k("in"), k("and"), k("or"), k("of"), k("al"), k("el"), k("rural")
	l.buildFlags()
	return l
}
