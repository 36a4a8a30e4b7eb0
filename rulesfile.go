package geotag

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// maxRulesFile bounds a rules file ReadRules reads.
const maxRulesFile = 64 << 20

// WriteRules writes rules as JSON lines, one rule a line: the export of
// GET /api/v1/rules?format=jsonl and the file `geotag tag --rules` reads.
func WriteRules(w io.Writer, rules []Rule) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	for _, r := range rules {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// ReadRules reads a rules file: JSON lines (one rule a line, as
// WriteRules writes them), a JSON array of rules, or {"rules": […]} (the
// answer of GET /api/v1/rules). Each rule is normalised against places;
// a place rule whose desk place places lacks keeps the place the file
// gives; a rule without an id is "file-N" (its place in the file). It returns EINVALID naming the rule at fault, ETOOLARGE for a
// file over 64 MiB or more than MaxRules rules.
func ReadRules(r io.Reader, places Gazetteer) ([]Rule, error) {
	body, err := io.ReadAll(io.LimitReader(r, maxRulesFile+1))
	if err != nil {
		return nil, err
	}
	if len(body) > maxRulesFile {
		return nil, Errorf(ETOOLARGE, "a rules file is at most %d bytes", maxRulesFile)
	}
	body = bytes.TrimSpace(body)
	var rules []Rule
	switch {
	case len(body) == 0:
	case body[0] == '[':
		err = json.Unmarshal(body, &rules)
	case bytes.HasPrefix(body, []byte(`{"rules"`)) || bytes.HasPrefix(body, []byte(`{ "rules"`)):
		var doc struct{ Rules []Rule }
		err = json.Unmarshal(body, &doc)
		rules = doc.Rules
	default:
		dec := json.NewDecoder(bytes.NewReader(body))
		for dec.More() && len(rules) <= MaxRules {
			var ru Rule
			if err = dec.Decode(&ru); err != nil {
				break
			}
			rules = append(rules, ru)
		}
	}
	if err != nil {
		return nil, FieldErrorf(EINVALID, "rules", "a rules file is JSON lines, an array or {\"rules\":[…]}: %v", err)
	}
	if len(rules) > MaxRules {
		return nil, Errorf(ETOOLARGE, "a rules file has at most %d rules", MaxRules)
	}
	for i := range rules {
		if rules[i].ID == "" {
			rules[i].ID = fmt.Sprintf("file-%d", i+1)
		}
		if err := rules[i].Normalize(places); err != nil {
			return nil, FieldErrorf(EINVALID, fmt.Sprintf("rules[%d]", i), "rule %d (%.40q): %s", i, rules[i].Words, ErrorMessage(err))
		}
	}
	return rules, nil
}
