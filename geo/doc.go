// Package geo is the geotagger: it finds the place names in a text and
// resolves each to a gazetteer entry, with a calibrated confidence and
// ranked alternatives.
//
// Recognition looks every run of one to MaxKeyTokens capitalised words up in
// the gazetteer, longest match first, left to right, under the same name
// normalisation the gazetteer indexes with (geotag.NameKey). It then weighs
// the evidence against each match: ordinary English words at the start of a
// sentence ("Nice day", "Police said"), people ("John Kerry", "Michael
// Jordan", "President Obama" and later bare uses of those surnames),
// organisations ("Sham Front", "Jabhat al-Nusra") and acronyms. Demonyms and
// abbreviations ("Russian", "U.S.", "W.Va.") are mentions of their own kinds,
// resolved through Gazetteer.Alias.
//
// Resolution scores each candidate as a sum of named features: a prior from
// the feature type and population, the countries and divisions the document
// names (directly or by demonym), an explicit container ("Paris, Texas"), a
// cue word ("Idlib province"), a district whose city is named, closeness to
// the other places of the document, and the request's area of interest. A
// softmax over the scores, times the recognition confidence, gives the
// mention's confidence and its alternatives' scores. Every mention of one
// name in a document resolves alike (one sense per discourse).
//
// The package never imports the gazetteer package: it works against the
// small Gazetteer interface it declares.
package geo
