package geo

import (
	_ "embed"
	"strings"

	"github.com/geotag/geotag"
)

//go:embed data/common.txt
var commonTxt string

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

func setOf(words ...string) wordSet { return parseWords(strings.Join(words, " ")) }

// lexicon holds the word lists the recogniser consults.
type lexicon struct {
	common   wordSet // English words that are also one-word place names
	given    wordSet // given names
	titles   wordSet // words before a person's name
	orgAfter wordSet // words after a name that make it an organisation or institution
	orgStart wordSet // words that open an organisation's name
	speech   wordSet // verbs of saying after a person's name
	locCue   wordSet // prepositions before a place
	connect  wordSet // lower-case words allowed inside a multi-word name
	stop     wordSet // function words that are never names on their own
}

func newLexicon() *lexicon {
	return &lexicon{
		common: parseWords(commonTxt),
		given:  parseWords(givenTxt),
		titles: setOf(`president vice secretary minister premier chancellor mr mrs ms miss dr prof professor
			gen general col colonel lt lieutenant maj major capt captain sgt sergeant cpl corporal pvt adm admiral
			sen senator rep representative gov governor mayor councilman councilwoman commissioner sheriff deputy
			king queen prince princess sheikh shaikh emir pope cardinal bishop rev reverend father sister brother imam rabbi
			judge justice attorney officer detective agent chief coach sir lord lady dame ambassador envoy spokesman
			spokeswoman spokesperson chairman chairwoman director superintendent trooper patrolman inspector constable
			mullah ayatollah hajji haji mufti sultan tsar czar`),
		orgAfter: setOf(`front army brigade brigades battalion battalions division regiment corps militia forces movement party
			council committee coalition alliance union league federation association society foundation institute
			university college school academy hospital clinic church mosque cathedral temple
			times post herald tribune journal gazette news daily press chronicle observer telegraph standard courier
			airlines airways air railways railway rail bank group company corporation corp inc ltd llc co fc sc club
			united rovers wanderers athletic senate assembly congress parliament legislature government ministry
			department agency authority commission board police sheriffs tech power energy electric oil gas telecom
			motors pharmaceuticals holdings partners capital fund festival prize award awards cup open championship
			games olympics tigers lions eagles bulls bears hawks knights warriors`),
		orgStart: setOf(`jabhat jaish jabha liwa harakat harakat ahrar hayat haiat kataib katibat ansar fatah hezbollah hizbollah
			hamas tahrir faylaq saraya`),
		speech: setOf(`said says told added asked argued insisted stated wrote explained noted warned claimed announced
			replied admitted denied urged tweeted`),
		locCue: setOf(`in near at from to into outside inside toward towards across around through throughout via within
			between of around beyond past reach reached reaching entered entering visit visited visiting
			north south east west northeast northwest southeast southwest northern southern eastern western central
			downtown suburban rural`),
		connect: setOf(`of the de del della des di du da do dos das la le les los las el al ad ar as ash az ez es en an ibn bin bint
			bani beni bou abu um umm upon on sur am im an der den von van y e and sidi`),
		stop: setOf(`the a an and or but of in on at to for with by from as is was are were be been this that these those it its
			he she they we you i his her their our my your not no so if than then there here what which who whom when
			where why how all any each every some such one two three new old`),
	}
}
