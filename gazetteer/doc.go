// Package gazetteer is geotag's bundled world gazetteer: about 430,000
// places (GeoNames cities500, the conflict-zone detail of twelve country
// files converted from Who's On First, countries, first- and second-level
// divisions, city districts, physical features and regions) with 1.4
// million normalised names, embedded in the binary and loaded in a few
// hundred milliseconds.
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
//	                  Kurdistan Region, Strait of Hormuz), each stating how its point
//	                  was derived
//	names.tsv         project-authored name variants (Britain, Burma, Ivory Coast…)
//	aliases.tsv       project-authored demonyms and abbreviations (Syrian, U.S., W.Va.)
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
// # File format
//
// See format.go: three gzip sections (places in columns, front-coded name
// keys, posting lists) that decompress and decode in parallel.
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
// Data licences: see LICENSE-DATA.
package gazetteer
