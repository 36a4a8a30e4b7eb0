package gazetteer

import (
	"io"
	"strings"

	"github.com/geotag/geotag"
)

// idBaseFacility is the negative id range of facilities.tsv rows.
const idBaseFacility = -40_000_000_000

// facilityCodes maps the kinds of facilities.tsv to GeoNames feature codes
// of class S (spots and buildings), which are points: precision 1.
var facilityCodes = map[string]string{
	"airbase": "AIRB", "airport": "AIRP", "dam": "DAM", "nuclear": "PS", "powerplant": "PS", "crossing": "PSTB",
	"port": "PRT", "bridge": "BDG", "hospital": "HSP", "prison": "PRN", "factory": "MFG",
}

// ReadFacilities reads the project's facilities.tsv (name, alternate_names,
// lat, lon, kind, country_code, source): air bases, dams, crossings and
// other sites that conflict reports name. Each name of a facility belongs
// to it (see ReadRenames), so that "Mosul Dam" or "Bab al-Hawa" never
// resolves to a namesake village. It returns an EINVALID *Error naming the
// line of a malformed row.
//
// A facility's names are its own in its country: a village that is
// also named "Bab al-Hawa" is no longer found by that name.
func (b *Builder) ReadFacilities(r io.Reader) error {
	return tsv(r, func(f []string, line int) error {
		if line > 0 && f[0] == "name" {
			return nil
		}
		if len(f) < 7 || strings.TrimSpace(f[6]) == "" {
			return geotag.Errorf(geotag.EINVALID, "facilities:%d: want name, alternate_names, lat, lon, kind, country_code, source", line)
		}
		lat, lon, ok := parseCoord(f[2], f[3])
		if !ok {
			return geotag.Errorf(geotag.EINVALID, "facilities:%d: bad coordinates", line)
		}
		code, ok := facilityCodes[f[4]]
		if !ok {
			return geotag.Errorf(geotag.EINVALID, "facilities:%d: unknown kind %q", line, f[4])
		}
		id := stableID(idBaseFacility, f[5], f[0])
		if _, dup := b.recs[id]; dup {
			return geotag.Errorf(geotag.EINVALID, "facilities:%d: duplicate facility %q", line, f[0])
		}
		alts := splitAlts(f[1])
		b.recs[id] = &record{id: id, name: f[0], alts: alts, lat: lat, lon: lon, hasCoord: true,
			class: "S", code: code, cc: f[5], prio: prioSecondary, nalt: len(alts)}
		b.owned = append(b.owned, ownedName{id: id, names: append([]string{f[0]}, alts...), line: line, exclusive: true})
		return nil
	})
}

// ownedName says that names belong to one place.
type ownedName struct {
	id        int64
	names     []string
	line      int
	exclusive bool // taken from namesakes too: "Bab al-Hawa" is the crossing, not a village of that name
}

// ReadRenames reads the project's renames.tsv (old_names, name, target
// geonameid, date, source): places renamed (Artemivsk → Bakhmut) or known by
// two names (Kobani, ʿAyn al-ʿArab). Every name of a row becomes a name of
// the target and belongs to it: Build takes it from the other places of the
// target's country that have it only as an alternate name. It returns an
// EINVALID *Error naming the line of a row without a date or a source.
func (b *Builder) ReadRenames(r io.Reader) error {
	return tsv(r, func(f []string, line int) error {
		if f[0] == "old_names" {
			return nil
		}
		if len(f) < 5 || f[1] == "" || f[3] == "" || strings.TrimSpace(f[4]) == "" {
			return geotag.Errorf(geotag.EINVALID, "renames:%d: want old_names, name, target, date, source", line)
		}
		names := append(splitAlts(f[0]), f[1])
		for _, n := range names {
			b.names = append(b.names, nameRow{target: f[2], name: n, line: line})
		}
		b.renames = append(b.renames, renameRow{target: f[2], names: names, line: line})
		return nil
	})
}

type renameRow struct {
	target string
	names  []string
	line   int
}

// applyOwnership removes each owned name's key from the other places of
// the owner's country that do not bear it as their own name, and a
// facility's names from every other place of its country.
func (b *Builder) applyOwnership() error {
	for _, rn := range b.renames {
		id, ok := b.resolveTarget(rn.target)
		if !ok {
			return geotag.Errorf(geotag.EINVALID, "renames:%d: no place %q in the sources", rn.line, rn.target)
		}
		b.owned = append(b.owned, ownedName{id: id, names: rn.names, line: rn.line})
	}
	type own struct {
		r         *record
		exclusive bool
	}
	owner := map[string]own{} // key → owner
	for _, o := range b.owned {
		r, ok := b.recs[o.id]
		if !ok {
			continue
		}
		for _, n := range o.names {
			if k := geotag.NameKey(n); k != "" {
				owner[k] = own{r, o.exclusive}
			}
		}
	}
	if len(owner) == 0 {
		return nil
	}
	for _, r := range b.recs {
		kept := r.keys[:0]
		for _, k := range r.keys {
			if o, ok := owner[k]; ok && o.r != r && o.r.cc == r.cc && (o.exclusive || geotag.NameKey(r.name) != k) {
				continue
			}
			kept = append(kept, k)
		}
		r.keys = kept
	}
	return nil
}
