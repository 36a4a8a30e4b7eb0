package gazetteer

import (
	"bufio"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/geotag/geotag"
)

// Source priorities: when two inputs describe the same geonameid, the
// fields of the higher one win and the names of both are kept.
const (
	prioSecondary = 1 // Who's On First conversions, district and physical tables
	prioCoords    = 2 // admin_coords.tsv
	prioPrimary   = 3 // GeoNames geoname tables (cities500, allCountries, CC.txt)
)

// Negative id ranges for rows that no GeoNames file has. Who's On First-only
// records keep their own negative ids, which lie above -1e10.
const (
	idBaseDistrict = -10_000_000_000
	idBasePhysical = -20_000_000_000
	idBaseRegion   = -30_000_000_000
)

// record is one place while the gazetteer is being built.
type record struct {
	id         int64
	name       string
	alts       []string
	lat, lon   float64
	hasCoord   bool
	class      string
	code       string
	cc         string
	admin1     string // admin1 code
	admin2     string // admin2 code
	pop        int64
	parent     int64
	prio       int
	nalt       int // alternate names seen in the sources, an importance signal
	importance float64
	keys       []string // NameKeys of all its names
}

type division struct {
	name string
	id   int64
}

type country struct {
	code, name string
	id         int64
	pop        int64
	capital    string
}

// An alias maps a demonym or an abbreviation to a place.
type alias struct {
	key    string
	kind   string
	target string
	line   int
}

// Builder collects GeoNames-format sources and the project's tables and
// writes the compact gazetteer file that Load reads. Read the inputs in any
// order, then call Build once. A Builder is not safe for concurrent use.
type Builder struct {
	recs      map[int64]*record
	admin1    map[string]division // "SY.09"
	admin2    map[string]division // "SY.09.1234"
	countries map[string]*country
	names     []nameRow
	aliases   []alias
	extraAlts map[int64][]string // alternateNamesV2 rows before their place is known
	sources   []string
	owned     []ownedName // facility names that belong to their facility
	renames   []renameRow
}

type nameRow struct {
	target string
	name   string
	line   int
}

// NewBuilder returns an empty Builder.
func NewBuilder() *Builder {
	return &Builder{
		recs:      make(map[int64]*record),
		admin1:    make(map[string]division),
		admin2:    make(map[string]division),
		countries: make(map[string]*country),
		extraAlts: make(map[int64][]string),
	}
}

// tsv reads tab-separated lines, skipping blank lines and lines starting
// with '#', and calls fn with the fields and the 1-based line number.
func tsv(r io.Reader, fn func(f []string, line int) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<16), 16<<20)
	n := 0
	for sc.Scan() {
		n++
		s := strings.TrimRight(sc.Text(), "\r")
		if s == "" || s[0] == '#' {
			continue
		}
		if !utf8.ValidString(s) {
			return geotag.Errorf(geotag.EINVALID, "line %d: not valid UTF-8", n)
		}
		if err := fn(strings.Split(s, "\t"), n); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return geotag.Errorf(geotag.EINVALID, "line %d: %v", n+1, err)
	}
	return nil
}

func parseCoord(lat, lon string) (float64, float64, bool) {
	a, err1 := strconv.ParseFloat(strings.TrimSpace(lat), 64)
	b, err2 := strconv.ParseFloat(strings.TrimSpace(lon), 64)
	if err1 != nil || err2 != nil || math.IsNaN(a) || math.IsNaN(b) || a < -90 || a > 90 || b < -180 || b > 180 {
		return 0, 0, false
	}
	return a, b, true
}

func splitAlts(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// ReadGeonames reads a GeoNames geoname table (the 19-column format of
// allCountries.txt, cities500.txt and the per-country dumps). With secondary
// set, the rows only add names and places that a primary table lacks (used
// for the Who's On First conversions). It returns an EINVALID *Error naming
// the line of the first malformed row.
func (b *Builder) ReadGeonames(r io.Reader, name string, secondary bool) error {
	prio := prioPrimary
	if secondary {
		prio = prioSecondary
	}
	b.sources = append(b.sources, name)
	return tsv(r, func(f []string, line int) error {
		if len(f) < 15 {
			return geotag.Errorf(geotag.EINVALID, "%s:%d: %d columns, want 19", name, line, len(f))
		}
		id, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil || id == 0 {
			return geotag.Errorf(geotag.EINVALID, "%s:%d: bad geonameid %q", name, line, f[0])
		}
		lat, lon, ok := parseCoord(f[4], f[5])
		if !ok {
			return geotag.Errorf(geotag.EINVALID, "%s:%d: bad coordinates %q,%q", name, line, f[4], f[5])
		}
		pop, _ := strconv.ParseInt(f[14], 10, 64)
		alts := splitAlts(f[3])
		if f[2] != "" && f[2] != f[1] {
			alts = append(alts, f[2])
		}
		b.merge(&record{
			id: id, name: f[1], alts: alts, lat: lat, lon: lon, hasCoord: true,
			class: f[6], code: f[7], cc: f[8], admin1: f[10], admin2: f[11],
			pop: pop, prio: prio, nalt: len(splitAlts(f[3])),
		})
		return nil
	})
}

// merge adds r, or merges it into the record with the same id: the fields of
// the higher-priority source win, names are united.
func (b *Builder) merge(r *record) {
	old, ok := b.recs[r.id]
	if !ok {
		b.recs[r.id] = r
		return
	}
	hi, lo := old, r
	if r.prio > old.prio {
		hi, lo = r, old
	}
	hi.alts = append(hi.alts, lo.alts...)
	if lo.name != hi.name {
		hi.alts = append(hi.alts, lo.name)
	}
	if !hi.hasCoord && lo.hasCoord {
		hi.lat, hi.lon, hi.hasCoord = lo.lat, lo.lon, true
	}
	if hi.pop == 0 {
		hi.pop = lo.pop
	}
	if hi.cc == "" {
		hi.cc = lo.cc
	}
	if hi.admin1 == "" {
		hi.admin1, hi.admin2 = lo.admin1, lo.admin2
	}
	if hi.parent == 0 {
		hi.parent = lo.parent
	}
	if hi.class == "" {
		hi.class, hi.code = lo.class, lo.code
	}
	if lo.nalt > hi.nalt {
		hi.nalt = lo.nalt
	}
	b.recs[r.id] = hi
}

// ReadAlternateNames reads GeoNames' alternateNamesV2.txt (alternateNameId,
// geonameid, isolanguage, name, isPreferred, isShort, isColloquial,
// isHistoric, from, to). Codes (iata, icao, faac, tcid, post, link, wkdt,
// unlc, abbr) are skipped, and so are historic names.
func (b *Builder) ReadAlternateNames(r io.Reader) error {
	b.sources = append(b.sources, "alternateNames")
	return tsv(r, func(f []string, line int) error {
		if len(f) < 4 {
			return geotag.Errorf(geotag.EINVALID, "alternateNames:%d: %d columns, want 10", line, len(f))
		}
		switch f[2] {
		case "iata", "icao", "faac", "tcid", "post", "link", "wkdt", "unlc", "abbr", "fr_1793", "phon", "piny":
			return nil
		}
		if len(f) > 7 && f[7] == "1" {
			return nil
		}
		id, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil {
			return geotag.Errorf(geotag.EINVALID, "alternateNames:%d: bad geonameid %q", line, f[1])
		}
		b.extraAlts[id] = append(b.extraAlts[id], f[3])
		return nil
	})
}

// ReadAdmin1Codes reads admin1CodesASCII.txt: code, name, ascii name, geonameid.
func (b *Builder) ReadAdmin1Codes(r io.Reader) error {
	return b.readDivisions(r, "admin1Codes", b.admin1)
}

// ReadAdmin2Codes reads admin2Codes.txt: code, name, ascii name, geonameid.
func (b *Builder) ReadAdmin2Codes(r io.Reader) error {
	return b.readDivisions(r, "admin2Codes", b.admin2)
}

func (b *Builder) readDivisions(r io.Reader, name string, m map[string]division) error {
	return tsv(r, func(f []string, line int) error {
		if len(f) < 4 {
			return geotag.Errorf(geotag.EINVALID, "%s:%d: %d columns, want 4", name, line, len(f))
		}
		id, err := strconv.ParseInt(f[3], 10, 64)
		if err != nil {
			return geotag.Errorf(geotag.EINVALID, "%s:%d: bad geonameid %q", name, line, f[3])
		}
		m[f[0]] = division{name: f[1], id: id}
		return nil
	})
}

// ReadCountryInfo reads GeoNames' countryInfo.txt.
func (b *Builder) ReadCountryInfo(r io.Reader) error {
	return tsv(r, func(f []string, line int) error {
		if len(f) < 17 {
			return geotag.Errorf(geotag.EINVALID, "countryInfo:%d: %d columns, want 19", line, len(f))
		}
		id, err := strconv.ParseInt(f[16], 10, 64)
		if err != nil {
			return geotag.Errorf(geotag.EINVALID, "countryInfo:%d: bad geonameid %q", line, f[16])
		}
		pop, _ := strconv.ParseInt(f[7], 10, 64)
		b.countries[f[0]] = &country{code: f[0], name: f[4], id: id, pop: pop, capital: f[5]}
		return nil
	})
}

// ReadAdminCoords reads the project's admin_coords.tsv (geonameid, name,
// feature_code, country_code, admin1_code, admin2_code, lat, lon, source):
// points for countries and divisions. Rows whose source starts with
// FALLBACK_ only copy their parent's point and are skipped.
func (b *Builder) ReadAdminCoords(r io.Reader) error {
	return tsv(r, func(f []string, line int) error {
		if line == 1 && f[0] == "geonameid" {
			return nil
		}
		if len(f) < 9 {
			return geotag.Errorf(geotag.EINVALID, "admin_coords:%d: %d columns, want 9", line, len(f))
		}
		if strings.HasPrefix(f[8], "FALLBACK_") {
			return nil
		}
		id, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil || id == 0 {
			return geotag.Errorf(geotag.EINVALID, "admin_coords:%d: bad geonameid %q", line, f[0])
		}
		lat, lon, ok := parseCoord(f[6], f[7])
		if !ok {
			return geotag.Errorf(geotag.EINVALID, "admin_coords:%d: bad coordinates", line)
		}
		b.merge(&record{id: id, name: f[1], lat: lat, lon: lon, hasCoord: true, class: "A", code: f[2],
			cc: f[3], admin1: f[4], admin2: f[5], prio: prioCoords})
		return nil
	})
}

// stableID returns a negative id for a row that has no geonameid, stable
// across rebuilds of the same table.
func stableID(base int64, parts ...string) int64 {
	h := fnv.New32a()
	for _, p := range parts {
		io.WriteString(h, p)
		h.Write([]byte{0})
	}
	return base - int64(h.Sum32())
}

// ReadDistricts reads the project's districts.tsv (name, alternate_names,
// lat, lon, feature_code, country_code, parent_geonameid, source): city
// districts linked to their city.
func (b *Builder) ReadDistricts(r io.Reader) error {
	return tsv(r, func(f []string, line int) error {
		if line == 1 && f[0] == "name" {
			return nil
		}
		if len(f) < 8 {
			return geotag.Errorf(geotag.EINVALID, "districts:%d: %d columns, want 8", line, len(f))
		}
		lat, lon, ok := parseCoord(f[2], f[3])
		if !ok {
			return geotag.Errorf(geotag.EINVALID, "districts:%d: bad coordinates", line)
		}
		parent, err := strconv.ParseInt(f[6], 10, 64)
		if err != nil {
			return geotag.Errorf(geotag.EINVALID, "districts:%d: bad parent_geonameid %q", line, f[6])
		}
		code := f[4]
		if code == "" {
			code = "PPLX"
		}
		id := stableID(idBaseDistrict, f[5], f[6], f[0])
		if _, dup := b.recs[id]; dup {
			return geotag.Errorf(geotag.EINVALID, "districts:%d: duplicate district %q", line, f[0])
		}
		b.recs[id] = &record{id: id, name: f[0], alts: splitAlts(f[1]), lat: lat, lon: lon, hasCoord: true,
			class: "P", code: code, cc: f[5], parent: parent, prio: prioSecondary}
		return nil
	})
}

// ReadPhysical reads physical.tsv and the project's regions.tsv (name,
// alternate_names, lat, lon, feature_class, feature_code, country_code,
// geonameid, source): continents, regions, seas, rivers, mountains. Rows
// without a geonameid get stable negative ids.
func (b *Builder) ReadPhysical(r io.Reader, name string) error {
	base := int64(idBasePhysical)
	if name == "regions" {
		base = idBaseRegion
	}
	return tsv(r, func(f []string, line int) error {
		if line == 1 && f[0] == "name" {
			return nil
		}
		if len(f) < 9 {
			return geotag.Errorf(geotag.EINVALID, "%s:%d: %d columns, want 9", name, line, len(f))
		}
		lat, lon, ok := parseCoord(f[2], f[3])
		if !ok {
			return geotag.Errorf(geotag.EINVALID, "%s:%d: bad coordinates", name, line)
		}
		var id int64
		if f[7] != "" {
			v, err := strconv.ParseInt(f[7], 10, 64)
			if err != nil || v == 0 {
				return geotag.Errorf(geotag.EINVALID, "%s:%d: bad geonameid %q", name, line, f[7])
			}
			id = v
		} else {
			id = stableID(base, f[4], f[5], f[6], f[0])
		}
		alts := splitAlts(f[1])
		b.merge(&record{id: id, name: f[0], alts: alts, lat: lat, lon: lon, hasCoord: true,
			class: f[4], code: f[5], cc: f[6], prio: prioSecondary, nalt: len(alts)})
		return nil
	})
}

// ReadNames reads the project's names table: target, name. A target is an
// ISO country code ("GB"), an admin1 code ("US.WV") or a geonameid; the name
// becomes one more name of that place ("Britain", "Burma").
func (b *Builder) ReadNames(r io.Reader) error {
	return tsv(r, func(f []string, line int) error {
		if len(f) < 2 || f[0] == "" || f[1] == "" {
			return geotag.Errorf(geotag.EINVALID, "names:%d: want target, name", line)
		}
		b.names = append(b.names, nameRow{target: f[0], name: f[1], line: line})
		return nil
	})
}

// ReadAliases reads the project's aliases table: alias, kind (demonym or
// abbreviation), target (as in ReadNames).
func (b *Builder) ReadAliases(r io.Reader) error {
	return tsv(r, func(f []string, line int) error {
		if len(f) < 3 {
			return geotag.Errorf(geotag.EINVALID, "aliases:%d: want alias, kind, target", line)
		}
		kind := f[1]
		if kind != geotag.KindDemonym && kind != geotag.KindAbbreviation {
			return geotag.Errorf(geotag.EINVALID, "aliases:%d: kind %q is neither demonym nor abbreviation", line, kind)
		}
		key := geotag.NameKey(f[0])
		if key == "" {
			return geotag.Errorf(geotag.EINVALID, "aliases:%d: alias %q has no letters", line, f[0])
		}
		b.aliases = append(b.aliases, alias{key: key, kind: kind, target: f[2], line: line})
		return nil
	})
}

// resolveTarget finds the place a names/aliases target means.
func (b *Builder) resolveTarget(t string) (int64, bool) {
	if c, ok := b.countries[t]; ok {
		_, ok := b.recs[c.id]
		return c.id, ok
	}
	if d, ok := b.admin1[t]; ok {
		_, ok := b.recs[d.id]
		return d.id, ok
	}
	if name, ok := strings.CutPrefix(t, "feature:"); ok {
		var found int64
		for id, r := range b.recs {
			if r.name == name && (r.class == "H" || r.class == "T" || r.class == "L") && (found == 0 || id > found) {
				found = id
			}
		}
		return found, found != 0
	}
	if id, err := strconv.ParseInt(t, 10, 64); err == nil {
		_, ok := b.recs[id]
		return id, ok
	}
	return 0, false
}

// keepAlt reports whether an alternate name from a geoname table is a name
// people write, not a code: airport and postal codes, links.
func keepAlt(name, s string) bool {
	if s == "" || s == name || utf8.RuneCountInString(s) > 80 || strings.Contains(s, "://") {
		return false
	}
	upper, digits := true, false
	for _, r := range s {
		if r >= '0' && r <= '9' {
			digits = true
		} else if !(r >= 'A' && r <= 'Z') {
			upper = false
		}
	}
	if digits && upper || (upper && len(s) <= 4) {
		return false
	}
	return true
}

// maxTokens is the most words a name key may have: longer names are
// official long forms that news does not write.
const maxTokens = 6

// Division name forms that news writes after a division's name.
var (
	admin1Suffixes = []string{"province", "governorate", "oblast", "region", "state", "wilayah", "muhafazah"}
	admin2Suffixes = []string{"district", "county", "raion", "rayon", "municipality", "subdistrict"}
)

// divisionKeys returns the extra keys of a division: "Idlib" gives "idlib
// province", "idlib governorate"…; "Donetsk Oblast" gives "donetsk" too.
func divisionKeys(key string, suffixes []string) []string {
	var out []string
	base := key
	for _, s := range suffixes {
		if strings.HasSuffix(key, " "+s) {
			base = strings.TrimSuffix(key, " "+s)
			out = append(out, base)
			break
		}
	}
	for _, s := range suffixes {
		out = append(out, base+" "+s)
	}
	if strings.HasSuffix(base, " city") { // "Kyiv City"
		out = append(out, strings.TrimSuffix(base, " city"))
	}
	return out
}

// BuildStats describes a built gazetteer.
type BuildStats struct {
	Places, Keys, Postings, Aliases int
	Dropped                         int // records without coordinates
	Bytes                           int // written, compressed
	RawBytes                        int // before compression
}

func (s BuildStats) String() string {
	return fmt.Sprintf("%d places, %d names, %d postings, %d aliases (%d dropped without coordinates); %d bytes (%d raw)",
		s.Places, s.Keys, s.Postings, s.Aliases, s.Dropped, s.Bytes, s.RawBytes)
}

// Build completes the hierarchy, computes importance, indexes every name
// and writes the gazetteer file to w. version names the build (for
// example "geonames-2023-03+wof-2025"). It returns an EINVALID *Error when a
// project table names a target that does not exist.
func (b *Builder) Build(w io.Writer, version string) (BuildStats, error) {
	var st BuildStats
	b.markCountries()
	b.markDivisions()
	if err := b.addAlternateNames(); err != nil {
		return st, err
	}
	b.pickDisplayNames()
	st.Dropped = b.dropUnmapped()
	inferAdmin1(b.recs)
	b.linkParents()
	b.scoreImportance()
	if err := b.applyOwnership(); err != nil {
		return st, err
	}
	demoteDivisions(b.recs)

	o := b.order()
	postings := o.postings()
	als, err := b.aliasEntries(o.index)
	if err != nil {
		return st, err
	}
	d := b.data(version, o.byID, postings, als)
	for _, p := range d.postings {
		st.Postings += len(p)
	}
	n, raw, err := encode(w, d)
	st.Places, st.Keys, st.Aliases, st.Bytes, st.RawBytes = len(d.places), len(d.keys), len(als), n, raw
	return st, err
}

// markCountries makes each country's record a country (A.PCLI unless it
// says otherwise) with the country table's name and population.
func (b *Builder) markCountries() {
	for code, c := range b.countries {
		r, ok := b.recs[c.id]
		if !ok {
			continue
		}
		r.cc = code
		if r.pop == 0 {
			r.pop = c.pop
		}
		if r.class == "" || r.class == "A" && r.code == "" {
			r.class, r.code = "A", "PCLI"
		}
		r.admin1, r.admin2 = "", ""
		if r.name != c.name {
			r.alts = append(r.alts, r.name)
			r.name = c.name
		}
	}
}

// markDivisions makes the records of the first- and second-level
// division tables divisions, with their codes and names.
func (b *Builder) markDivisions() {
	for code, d := range b.admin1 {
		if r, ok := b.recs[d.id]; ok {
			cc, a1, _ := strings.Cut(code, ".")
			r.cc, r.admin1, r.admin2 = cc, a1, ""
			markDivision(r, d.name, "ADM1")
		}
	}
	for code, d := range b.admin2 {
		if r, ok := b.recs[d.id]; ok {
			parts := strings.SplitN(code, ".", 3)
			if len(parts) == 3 {
				r.cc, r.admin1, r.admin2 = parts[0], parts[1], parts[2]
			}
			markDivision(r, d.name, "ADM2")
		}
	}
}

// markDivision makes r a division of the level code unless its own code
// says which, and gives it the table's name as an alternate name.
func markDivision(r *record, name, code string) {
	r.class = "A"
	if r.code == "" || !strings.HasPrefix(r.code, "ADM") {
		r.code = code
	}
	if r.name != name {
		r.alts = append(r.alts, name)
	}
}

// addAlternateNames adds the secondary sources' names and the project's
// names table. It returns an EINVALID *Error for a target that does not
// exist.
func (b *Builder) addAlternateNames() error {
	for id, alts := range b.extraAlts {
		if r, ok := b.recs[id]; ok {
			r.alts = append(r.alts, alts...)
			if len(alts) > r.nalt {
				r.nalt = len(alts)
			}
		}
	}
	for _, n := range b.names {
		id, ok := b.resolveTarget(n.target)
		if !ok {
			return geotag.Errorf(geotag.EINVALID, "names:%d: no place %q in the sources", n.line, n.target)
		}
		b.recs[id].alts = append(b.recs[id].alts, n.name)
	}
	return nil
}

// pickDisplayNames gives a display name people of any language can read:
// a record that only has a name in another script (some Who's On First
// records) shows its first Latin-script alternate name.
func (b *Builder) pickDisplayNames() {
	for _, r := range b.recs {
		if hasLatin(r.name) {
			continue
		}
		for _, a := range r.alts {
			if hasLatin(a) && keepAlt(r.name, a) && isLatin(a) {
				r.alts = append(r.alts, r.name)
				r.name = a
				break
			}
		}
	}
}

// dropUnmapped drops what cannot be placed on a map, and returns how many.
func (b *Builder) dropUnmapped() int {
	n := 0
	for id, r := range b.recs {
		if !r.hasCoord || r.name == "" {
			delete(b.recs, id)
			n++
		}
	}
	return n
}

// linkParents sets the parents: district → city (already set), place and
// ADM2 → ADM1, ADM1 → country; a district takes its city's country and
// division.
func (b *Builder) linkParents() {
	for _, r := range b.recs {
		if r.parent != 0 {
			if _, ok := b.recs[r.parent]; !ok {
				r.parent = 0
			}
		}
		if r.parent != 0 || r.cc == "" {
			continue
		}
		var parent int64
		switch {
		case r.class == "A" && strings.HasPrefix(r.code, "PCL"):
		case r.class == "A" && r.code == "ADM1":
			if c, ok := b.countries[r.cc]; ok {
				parent = c.id
			}
		case r.admin1 != "":
			if d, ok := b.admin1[r.cc+"."+r.admin1]; ok && d.id != r.id {
				parent = d.id
			}
		}
		if _, ok := b.recs[parent]; ok {
			r.parent = parent
		}
	}
	for _, r := range b.recs {
		if p, ok := b.recs[r.parent]; ok && r.admin1 == "" && r.class == "P" && p.class == "P" && p.cc == r.cc {
			r.admin1, r.admin2 = p.admin1, p.admin2
		}
	}
}

// scoreImportance computes each record's importance, a division's from
// the population of its towns when it has none, a city district's from
// its city's, and its name keys.
func (b *Builder) scoreImportance() {
	admin1Pop := make(map[string]int64)
	admin2Pop := make(map[string]int64)
	for _, r := range b.recs {
		if r.class == "P" && r.cc != "" && r.admin1 != "" {
			admin1Pop[r.cc+"."+r.admin1] += r.pop
			if r.admin2 != "" {
				admin2Pop[r.cc+"."+r.admin1+"."+r.admin2] += r.pop
			}
		}
	}
	for _, r := range b.recs {
		var implied int64
		if r.class == "A" {
			switch r.code {
			case "ADM1":
				implied = max(admin1Pop[r.cc+"."+r.admin1]/10, 100_000)
			case "ADM2":
				implied = max(admin2Pop[r.cc+"."+r.admin1+"."+r.admin2]/10, 10_000)
			}
		}
		if p, ok := b.recs[r.parent]; ok && r.class == "P" && p.class == "P" {
			implied = p.pop / 20 // a district of a city
		}
		r.importance = importance(r, implied)
		r.keys = r.nameKeys()
	}
}

// placeOrder is the records in the two orders the file needs.
type placeOrder struct {
	byImportance []*record       // most important first
	byID         []*record       // the order places are stored in
	index        map[int64]int32 // id → position in byID
	rank         map[int32]int   // position in byID → position in byImportance
}

// order orders the places by importance, most important first, and by id.
func (b *Builder) order() placeOrder {
	recs := make([]*record, 0, len(b.recs))
	for _, r := range b.recs {
		recs = append(recs, r)
	}
	sort.Slice(recs, func(i, j int) bool {
		if recs[i].importance != recs[j].importance {
			return recs[i].importance > recs[j].importance
		}
		return recs[i].id < recs[j].id
	})
	byID := make([]*record, len(recs))
	copy(byID, recs)
	sort.Slice(byID, func(i, j int) bool { return byID[i].id < byID[j].id })
	o := placeOrder{byImportance: recs, byID: byID, index: make(map[int64]int32, len(recs)), rank: make(map[int32]int, len(recs))}
	for i, r := range byID {
		o.index[r.id] = int32(i)
	}
	for i, r := range recs {
		o.rank[o.index[r.id]] = i
	}
	return o
}

// postings returns each name key's places (positions in id order), most
// important first.
func (o placeOrder) postings() map[string][]int32 {
	postings := make(map[string][]int32)
	for _, r := range o.byImportance {
		i := o.index[r.id]
		for _, k := range r.keys {
			postings[k] = append(postings[k], i)
		}
	}
	for _, p := range postings {
		sort.Slice(p, func(a, b int) bool { return o.rank[p[a]] < o.rank[p[b]] })
	}
	return postings
}

// aliasEntries resolves the aliases table, the first line of a key
// winning, sorted by key. It returns an EINVALID *Error for a target that
// does not exist.
func (b *Builder) aliasEntries(index map[int64]int32) ([]aliasEntry, error) {
	var als []aliasEntry
	seen := make(map[string]bool)
	for _, a := range b.aliases {
		id, ok := b.resolveTarget(a.target)
		if !ok {
			return nil, geotag.Errorf(geotag.EINVALID, "aliases:%d: no place %q in the sources", a.line, a.target)
		}
		if seen[a.key] {
			continue
		}
		seen[a.key] = true
		als = append(als, aliasEntry{key: a.key, kind: a.kind, place: index[id]})
	}
	sort.Slice(als, func(i, j int) bool { return als[i].key < als[j].key })
	return als, nil
}

// data assembles what encode writes: the places in id order, the keys
// sorted with their postings, the aliases.
func (b *Builder) data(version string, byID []*record, postings map[string][]int32, als []aliasEntry) *data {
	d := &data{version: version, aliases: als}
	for _, r := range byID {
		d.places = append(d.places, placeRow{
			id: r.id, name: r.name, lat: r.lat, lon: r.lon, cc: r.cc,
			countryName: b.countryName(r.cc), admin1: b.admin1Name(r), admin1Code: r.admin1,
			feat: r.class + "." + r.code, pop: r.pop, parent: r.parent, importance: r.importance,
		})
	}
	d.keys = make([]string, 0, len(postings))
	for k := range postings {
		d.keys = append(d.keys, k)
	}
	sort.Strings(d.keys)
	for _, k := range d.keys {
		d.postings = append(d.postings, postings[k])
	}
	return d
}

func (b *Builder) countryName(cc string) string {
	if c, ok := b.countries[cc]; ok {
		return c.name
	}
	return ""
}

func (b *Builder) admin1Name(r *record) string {
	if r.cc == "" || r.admin1 == "" {
		return ""
	}
	if d, ok := b.admin1[r.cc+"."+r.admin1]; ok {
		return d.name
	}
	return ""
}

// nameKeys returns the distinct keys of a record's names: its name, its
// alternate names that are not codes, a river's name without "River", and
// a division's name with and without the words that name its kind.
func (r *record) nameKeys() []string {
	var keys []string
	seen := make(map[string]bool)
	add := func(k string) {
		if k != "" && !seen[k] && strings.Count(k, " ") < maxTokens {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	k := geotag.NameKey(r.name)
	add(k)
	everywhere := r.class == "A" && strings.HasPrefix(r.code, "PCL") || r.class == "L" && r.code == "CONT"
	for _, a := range r.alts {
		if keepAlt(r.name, a) && keepScript(a, r.cc, everywhere) {
			add(geotag.NameKey(a))
		}
	}
	if r.class == "H" && r.code == "STM" && strings.HasSuffix(k, " river") {
		add(strings.TrimSuffix(k, " river")) // "Euphrates River" is written "the Euphrates"
	}
	for _, k := range keys {
		if rest, ok := strings.CutPrefix(k, "the "); ok {
			add(rest) // "The Netherlands" is written "the Netherlands"
		}
	}
	if r.class == "A" && (r.code == "ADM1" || r.code == "ADM2") {
		suf := admin1Suffixes
		if r.code == "ADM2" {
			suf = admin2Suffixes
		}
		for _, k := range keys {
			if strings.Count(k, " ") > 3 {
				continue
			}
			for _, dk := range divisionKeys(k, suf) {
				add(dk)
			}
		}
	}
	return keys
}

// demoteDivisions ranks a division below the town of the same name that is
// its seat: "Aleppo" alone means the city more often than the governorate,
// which keeps "Aleppo Governorate" and "Aleppo province" to itself.
func demoteDivisions(recs map[int64]*record) {
	divs := make(map[string][]*record)
	for _, r := range recs {
		if r.class == "A" && strings.HasPrefix(r.code, "ADM") {
			for _, k := range r.keys {
				divs[k] = append(divs[k], r)
			}
		}
	}
	// The most important town of the same name near each division: the
	// division ranks just below it.
	seat := make(map[*record]float64)
	for _, c := range recs {
		if c.class != "P" {
			continue
		}
		for _, k := range c.keys {
			for _, d := range divs[k] {
				if d.cc != c.cc || c.importance <= seat[d] {
					continue
				}
				limit := 50.0
				if d.code == "ADM1" {
					limit = 150
				}
				sameAdmin := d.code == "ADM1" && d.admin1 != "" && d.admin1 == c.admin1
				if sameAdmin || geotag.DistanceKm(d.lat, d.lon, c.lat, c.lon) <= limit {
					seat[d] = c.importance
				}
			}
		}
	}
	for d, imp := range seat {
		d.importance = min(d.importance, imp*0.99)
	}
}

// inferAdmin1 gives a place that no source places in a first-level
// division (Who's On First-only records) the division of the nearest
// place of its country within 50 km that has one.
func inferAdmin1(recs map[int64]*record) {
	type cell struct{ lat, lon int }
	cellOf := func(lat, lon float64) cell { return cell{int(math.Floor(lat * 2)), int(math.Floor(lon * 2))} }
	grid := make(map[cell][]*record)
	for _, r := range recs {
		if r.class == "P" && r.admin1 != "" && r.cc != "" {
			c := cellOf(r.lat, r.lon)
			grid[c] = append(grid[c], r)
		}
	}
	for _, r := range recs {
		if r.admin1 != "" || r.cc == "" || r.class == "A" && (strings.HasPrefix(r.code, "PCL") || r.code == "ADM1") || r.class == "L" || r.class == "H" || r.class == "T" {
			continue
		}
		c := cellOf(r.lat, r.lon)
		var best *record
		bestD := 50.0
		for dy := -1; dy <= 1; dy++ {
			for dx := -1; dx <= 1; dx++ {
				for _, o := range grid[cell{c.lat + dy, c.lon + dx}] {
					if o.cc != r.cc {
						continue
					}
					if d := geotag.DistanceKm(r.lat, r.lon, o.lat, o.lon); d < bestD {
						best, bestD = o, d
					}
				}
			}
		}
		if best != nil {
			r.admin1 = best.admin1
		}
	}
}

func hasLatin(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Latin, r) {
			return true
		}
	}
	return false
}

// isLatin reports whether every letter of s is in the Latin script.
func isLatin(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) {
			return false
		}
	}
	return true
}
