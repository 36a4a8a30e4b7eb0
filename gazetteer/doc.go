// Package gazetteer is geotag's bundled world gazetteer: about 689,000
// places (GeoNames cities500, the conflict-zone detail of 28 country files
// converted from Who's On First, countries, first- and second-level
// divisions, city districts, facilities, physical features and regions)
// under 1.66 million normalised names, embedded in the binary (a 19 MB
// file) and loaded in a few hundred milliseconds (under 300 ms of CPU)
// into about 100 MB of heap.
//
// Open loads the bundled file; Load reads one that a user rebuilt. The
// loaded *Gazetteer implements geotag.Gazetteer: Lookup for the geotagger
// (exact normalised names, geotag.NameKey, no allocation after a key's
// first lookup), Alias for demonyms and abbreviations, Place for the
// hierarchy (district → city → division → country through ParentID) and
// Search for people typing into a box.
//
// # Sources
//
// The file is built by "geotag gazetteer build" from standard GeoNames
// files (the 19-column geoname table of allCountries.txt, cities500.txt or
// CC.txt dumps; alternateNamesV2.txt when present; admin1CodesASCII.txt,
// admin2Codes.txt, countryInfo.txt) and the tables in tables/:
//
//	admin_coords.tsv  points of countries, ADM1 and ADM2 divisions (GeoNames, Natural
//	                  Earth, US Census, Who's On First; per-row source; rows that only
//	                  copied a parent's point were removed)
//	districts.tsv     city districts no GeoNames file has, each with its source and city
//	physical.tsv      continents, regions, seas, rivers, ranges… (GeoNames no-country,
//	                  Natural Earth)
//	regions.tsv       project-authored regions (Darfur, Eastern Ghouta, Donbas, Sinai,
//	                  Kurdistan Region, Strait of Hormuz) and historic countries
//	                  (Soviet Union, Yugoslavia, Czechoslovakia), each stating how its
//	                  point was derived
//	counties.tsv      project-authored second-level units of the United Kingdom that
//	                  GeoNames' ADM2 table lacks (the metropolitan counties: West
//	                  Midlands, Greater Manchester, Merseyside…; historic Yorkshire),
//	                  each at the mean of the GeoNames points its source column names
//	facilities.tsv    project-authored air bases, airports, dams, nuclear and power
//	                  plants, border crossings, ports, bridges, hospitals, prisons of
//	                  conflict zones (kind, point and Wikipedia source per row); their
//	                  names are theirs alone in their country
//	names.tsv         project-authored name variants (Britain, Burma, Ivory Coast…)
//	renames.tsv       project-authored renames and names in parallel use (Artemivsk →
//	                  Bakhmut, Kobani / ʿAyn al-ʿArab, Stepanakert → Khankendi), with
//	                  the date and source of each; other places of the country that
//	                  had such a name only as an alternate name lose it
//	aliases.tsv       project-authored demonyms and abbreviations (Syrian, U.S., W.Va.,
//	                  B.C., Ont., N.S.W.; US state and Canadian province demonyms with
//	                  the Wikipedia article of each)
//
// # Rebuilding
//
// From a checkout, with the project's source directory beside it:
//
//	go run ./cmd/geotag gazetteer build --src ../shared/gazetteer
//
// writes gazetteer/data/gazetteer.gz, which the next build embeds. With the
// full GeoNames dump, download allCountries.zip, alternateNamesV2.zip,
// admin1CodesASCII.txt, admin2Codes.txt and countryInfo.txt from
// https://download.geonames.org/export/dump/ into one directory, unzip
// them, and run
//
//	go run ./cmd/geotag gazetteer build --src ~/geonames -o gazetteer/data/gazetteer.gz
//
// (or -o elsewhere and load the file with Load). Every place of GeoNames
// is then included, which makes a larger file and a slower start.
//
// # Names
//
// Every name and alternate name is indexed under its geotag.NameKey, so
// "al-Hasakah", "Hasakah" and "Al Ḩasakah" meet. Latin, Arabic, Cyrillic,
// Hebrew and Syriac names are indexed for every place; names in other
// scripts (Han, Hangul, Devanagari, Greek…) only for places in the
// countries that write them and for countries and continents. Codes
// (IATA, ICAO, postal) are not names. A first-level division is also
// indexed with "province", "governorate", "oblast", "region", "state"…
// after its name, a second-level one with "district", "county", "raion"…,
// a river without "River". Names of more than six words are left out.
//
// Place ids are GeoNames geonameids. Rows no GeoNames file has carry
// negative ids that stay stable across rebuilds: Who's On First-only
// records keep theirs; districts, physical features without a geonameid,
// the project's regions and facilities get -1e10, -2e10, -3e10, -4e10 minus
// a hash of their country, parent and name.
//
// # File format
//
// See format.go: four zstd sections (places in columns, their names, the
// name keys in byte order, posting lists) that decompress and decode in
// parallel (with the zstd of github.com/klauspost/compress, the module
// whose gzip the server uses). Names are a string table: the loaded
// strings share the decompressed section instead of being copied one by
// one; posting lists are read in place. Keys are front-coded (the bytes a
// key shares with the one before, then its rest), so that the reader
// checks their order and finds their word prefixes from each key's rest.
// The hash table over the keys and the set of their word prefixes are
// built in the background once Load has returned: until they are there,
// Lookup and IsKeyPrefix binary-search the sorted keys, with the same
// answers. A file of an older format is refused with a message saying to
// rebuild it.
//
// # Ranking
//
// Each place has an importance in 0..1 blending population (for divisions
// without one, a tenth of the population of their places), the feature type
// (countries, capitals, first-level divisions, seas) and the number of
// alternate names, which tracks how widely a place is written about. A
// division ranks below the town of the same name that is its seat, so
// "Aleppo" is the city and "Aleppo Governorate" the division. Lookup lists
// places in that order; the geotagger adds context.
//
// # Search
//
// Search ranks whole-name matches, then names that start with the text,
// then names one edit (deletion, insertion, substitution, transposition)
// away, as whole names and as prefixes, and, when nothing else matched an
// unfiltered query, names with a later word that starts with the text
// ("Maqsoud"). Each match quality is blended with importance and, given a
// focus point, with closeness (a 100 km scale). For one- and two-letter
// prefixes only the 3,000 most important names are scored. Text after a
// comma names the area to prefer: "Paris, Texas", "Khalidiya, Aleppo".
//
// Data licences: see LICENSE-DATA.
package gazetteer
