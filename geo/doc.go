// Package geo is the geotagger: it finds the place names in a text and
// resolves each to a gazetteer entry, with a calibrated confidence and
// ranked alternatives.
//
// # Recognition
//
// The text is split into words with code-point offsets; each word is keyed
// with geotag.TokenKeys (cached per Tagger), so spelling variants meet the
// gazetteer's keys ("al-Hasakah", "Al Ḩasakah", "Hasakeh"). Every run of one
// to MaxKeyTokens words joined by spaces or hyphens whose first words start
// some key (Gazetteer.IsKeyPrefix) is looked up, longest match first, left
// to right (Gazetteer.Lookup for places, Gazetteer.Alias for demonyms and
// abbreviations, which become mentions of kind "demonym" and
// "abbreviation"). Possessives ("Aleppo's") and dotted abbreviations
// ("U.S.", "W.Va.") are handled by the tokeniser.
//
// A match is then weighed against the evidence of the whole text, by the
// named rules of judge.go (the first rule with a verdict decides) and, for
// people, of people.go:
//
//   - people: a given name, a title, a middle initial, an age ("Samra,
//     46,"), a verb of saying or a possessive kin or legal noun ("Bakari's
//     wife") around a word make it a person's name for the whole text
//     ("John Kerry … Kerry said"), unless the text also uses it after a
//     locative preposition ("in Fargo"); verbs of saying never unmake a
//     capital ("Kyiv said"); a common given name, or a country that is one,
//     before a capitalised surname is a first name ("Michael Jordan",
//     "Jordan Matthews");
//   - facilities: names with lower-case facility words ("the Kakhovka dam",
//     "Hmeimim air base") are looked up whole, so the facility, not the
//     namesake town, is the mention;
//   - organisations: opener words ("Jabhat al-Nusra", "Jaish …"), words such
//     as Front, Brigade, Party, Times, Airlines after a name, and well-known
//     organisations; disease names ("Ebola virus") and currencies ("US$");
//   - ordinary English words that are also towns (Nice, Reading, Police,
//     Mobile; the list is Debian's wamerican dictionary) need a locative
//     cue, a container ("Mobile, Alabama"), a list of places or an earlier
//     accepted use, and never count at the start of a sentence on their own;
//     calendar words, directions and generic nouns are never names alone;
//   - acronyms in running text are no places unless they open a dateline.
//
// Names the gazetteer lacks are still recognised, with a nil place, when the
// text marks them: streets and numbered roads ("Main Street", "Highway 19")
// and names before a container word ("Zzyzxabad District", "Neches River").
//
// # Languages
//
// A paragraph written mostly in Arabic or Cyrillic letters is recognised by
// that language's rules instead (langrec.go): clitics and the article come
// off Arabic words, case endings go back to the dictionary form in Ukrainian
// and Russian, trigger words ("محافظة", "область") make a unit, and tables
// supply regional names, demonyms, given names, titles and organisation
// openers. Each language is a table, geo/lang/CODE.txt, read by one engine
// (lang.go); Tagger.Language names the rules a text gets. Text in Latin
// script never reaches these rules.
//
// # Resolution
//
// Each candidate's score is a sum of named features, so that each choice can
// be explained: a prior from the feature type, population and the
// gazetteer's importance (which counts a place's names and scripts); a
// penalty for small places named only by a spelling variant; when some
// candidate bears the name as written (marks such as ʿ ʾ ‘ ’ ' and articles
// aside), a large penalty for the others whose own name is only spelled
// alike ("Samarra" is not Samara) and a smaller one for those that have it
// only as an alternate name ("Manchester" is not Richmond), unless they are
// countries, divisions, capitals or far more important than every bearer
// ("Palmyra" is Tadmur) — a hamlet with no population or rank takes no
// name from the others this way; the request's area of
// interest (TagOptions); an explicit container ("Paris, Texas", "Nice in
// southern France"); a cue word ("Idlib province", "Laurel County", "the
// Niger river", weighing most for water), also after a list ("the Idlib and
// Hama provinces"); the
// countries and first-level divisions that the other names of the text
// probably stand for, each weighing by its own probabilities (countries
// named as actors, as in "U.S. officials", weigh less); a district whose
// city is named; the coherence of namesakes (coherence.go: two names
// whose readings lie within 40 km support those readings, each name's
// support split among the candidates it lies next to: "Paris" beside
// "Henry County" is the Tennessee pair); the kind of a name's neighbours in
// a list (list.go: "Texas, Missouri, California and Oregon" are states, not
// the towns named after them); closeness to the other places of the text;
// and the
// preference of a seat town over the same-named division around it (a bare
// "Aleppo", "Homs" or "Douma" is the town, as is a town within 75 km of a
// same-named district's centre whatever the records say of its population;
// the governorate, oblast or district only after "province", "region",
// "countryside"… or "rural"). Of a name with more than 40 namesakes, the
// last 8 weighed are those in the countries the text's other names point to
// (candidates.go).
// All mentions of one name in a text resolve alike (one sense per
// discourse), except that a mention with a division cue is resolved apart
// ("the Kharkiv region … Kharkiv"); names nested in one another ("Dublin"
// and "Dublin City") are no evidence for each other.
//
// A softmax over the scores, times the probability that the span is a place
// mention at all, gives each mention's confidence and its alternatives'
// scores. The recognition probabilities were fitted on the first 70% of the
// LGL and GeoVirus gold sets; `geotag eval --calibration` prints the
// reliability table (expected calibration error 0.054 on LGL).
//
// The package never imports the gazetteer package: it works against the
// small Gazetteer interface it declares. Scoring against gold files, as
// ../shared/eval/score.py does, is in eval.go (ReadGold, Score, Coverage,
// Calibrate).
package geo
