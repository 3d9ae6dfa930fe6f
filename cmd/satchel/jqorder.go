package main

import (
	"bytes"
	"encoding/json"
	"math/bits"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/itchyny/gojq"
)

// gojq hands back objects as Go maps, which have no key order; jq prints an object's keys in
// the order they were put in. This file puts them back: an object of the document in its own
// order, an object the expression builds in the order it builds it.

// keyPart is one part of the key sequence of an object the expression builds: a key written
// in it, or (doc) the keys of another object, in that object's order.
type keyPart struct {
	key string
	doc bool
}

// keyShape is the key sequence of an object the expression builds: {b, a} is b then a;
// . + {z: 1} is the keys of . then z (jq's + keeps the left keys in place and appends the new
// right ones, and so does *).
type keyShape struct {
	parts []keyPart
	lits  map[string]bool // the keys written in it
	doc   bool            // it has a doc part
	set   string          // keySet of its keys, when it has no doc part
	pos   map[string]int  // its keys -> their place, when it has no doc part
}

// builtShapes finds the objects an expression builds from keys written in it ({a, "b": 1,
// $c}), their sums (+, *) with at most one object it does not build, and the keys it sets
// (.label = "x"). An object with a computed key ({(.k): 1}) is left to the document's order.
func builtShapes(q *gojq.Query) []keyShape {
	var shapes []keyShape
	seen := map[string]bool{}
	add := func(parts []keyPart, ok bool) {
		if !ok {
			return
		}
		var s keyShape
		s.lits = map[string]bool{}
		docs := 0
		var sig strings.Builder
		for _, p := range parts {
			switch {
			case p.doc:
				docs++
				sig.WriteString("\x01")
			case !s.lits[p.key]:
				s.lits[p.key] = true
				sig.WriteString(p.key + "\x00")
			default:
				continue // a key given twice keeps its first place
			}
			s.parts = append(s.parts, p)
		}
		if docs > 1 || len(s.lits) == 0 || seen[sig.String()] {
			return
		}
		seen[sig.String()] = true
		s.doc = docs == 1
		if !s.doc {
			keys := make([]string, len(s.parts))
			s.pos = make(map[string]int, len(s.parts))
			for i, p := range s.parts {
				keys[i], s.pos[p.key] = p.key, i
			}
			s.set = keySet(keys)
		}
		shapes = append(shapes, s)
	}
	// The syntax tree has many node types holding queries; walking it by reflection reaches
	// every one of them (function arguments, if, reduce, string interpolation...).
	queryType, termType := reflect.TypeOf(&gojq.Query{}), reflect.TypeOf(&gojq.Term{})
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if v.IsNil() {
				return
			}
			switch v.Type() {
			case queryType:
				if q := v.Interface().(*gojq.Query); q.Op == gojq.OpAdd || q.Op == gojq.OpMul {
					add(shapeOf(q))
				} else if k, ok := assignedKey(q); ok {
					// Setting a key the object lacks appends it, as + does.
					add([]keyPart{{doc: true}, {key: k}}, true)
				}
			case termType:
				if t := v.Interface().(*gojq.Term); t.Object != nil && len(t.SuffixList) == 0 {
					add(shapeOf(&gojq.Query{Term: t}))
				}
			}
			walk(v.Elem())
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i))
				}
			}
		case reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i))
			}
		}
	}
	walk(reflect.ValueOf(q))
	return shapes
}

// shapeOf is the key sequence of the object q makes: false for an object with a computed key;
// anything but an object written out or a sum is one doc part.
func shapeOf(q *gojq.Query) ([]keyPart, bool) {
	if q.Op == gojq.OpAdd || q.Op == gojq.OpMul {
		l, ok := shapeOf(q.Left)
		if !ok {
			return nil, false
		}
		r, ok := shapeOf(q.Right)
		return append(slices.Clip(l), r...), ok
	}
	t := q.Term
	if q.Op != 0 || t == nil || len(t.SuffixList) > 0 {
		return []keyPart{{doc: true}}, true
	}
	if t.Type == gojq.TermTypeQuery {
		return shapeOf(t.Query)
	}
	if t.Object == nil {
		return []keyPart{{doc: true}}, true
	}
	parts := make([]keyPart, 0, len(t.Object.KeyVals))
	for _, kv := range t.Object.KeyVals {
		switch {
		case kv.Key != "":
			parts = append(parts, keyPart{key: strings.TrimPrefix(kv.Key, "$")}) // {$x} is {x: $x}
		case kv.KeyString != nil && len(kv.KeyString.Queries) == 0:
			parts = append(parts, keyPart{key: kv.KeyString.Str})
		default:
			return nil, false
		}
	}
	return parts, true
}

// assignedKey is the key q sets when it is an assignment to a path ending in a key written
// out (.label = "x", .a.b |= 1, .["c"] += 1).
func assignedKey(q *gojq.Query) (string, bool) {
	if q.Op < gojq.OpAssign || q.Op > gojq.OpUpdateAlt {
		return "", false
	}
	l := q.Left
	if l == nil || l.Op != 0 || l.Term == nil || l.Term.Type != gojq.TermTypeIndex {
		return "", false
	}
	idx := l.Term.Index
	if n := len(l.Term.SuffixList); n > 0 {
		idx = l.Term.SuffixList[n-1].Index
	}
	switch {
	case idx == nil || idx.IsSlice || idx.Start != nil:
		return "", false
	case idx.Name != "":
		return idx.Name, true
	case idx.Str != nil && len(idx.Str.Queries) == 0:
		return idx.Str.Str, true
	}
	return "", false
}

// docObject is one object of the document: its keys in order, and the map gojq got for it.
type docObject struct {
	keys []string
	pos  map[string]int // shared by the objects with the same key sequence
	m    map[string]any
}

// keyOrders is the order of the keys of the objects of a JSON document and of the objects the
// expression builds. An object of the document printed as it is finds its own order (two
// objects may hold the same keys in different orders). For one the expression changed, each
// distinct key sequence of the document is kept: a key that only some rows have (a label)
// comes in its place among its row's keys, not after every key of the first row.
type keyOrders struct {
	objs  []docObject
	byMap map[uintptr]map[string]int // a document object's map -> its order
	seqs  []map[string]int           // each distinct key sequence: key -> its place
	exact map[string]map[string]int  // the first of them, by its keys sorted and joined
	many  map[string]bool            // key sets the document holds in more than one order
	first map[string]int             // every key, numbered in the order it first appears
	built []keyShape
	bySet map[string][]int          // document objects by key set, made when first needed
	byVal map[string]map[string]int // key set held in many orders -> values -> object
	plans map[string]*growPlan      // shape and key set -> how grown places such objects
}

// keyOrder reads the key sequences of the document raw, and ties each to the map of doc (raw
// decoded) that holds it.
func keyOrder(raw []byte, doc any, built []keyShape) *keyOrders {
	o := &keyOrders{first: map[string]int{}, exact: map[string]map[string]int{}, many: map[string]bool{},
		byMap: map[uintptr]map[string]int{}, built: built, byVal: map[string]map[string]int{},
		plans: map[string]*growPlan{}}
	seen := map[string]map[string]int{}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	// In an object, tokens alternate key, value; a value may open a nested container.
	type frame struct {
		obj  int  // the object's index in o.objs (in the order objects open), -1 for an array
		key  bool // the next token in this object is a key
		keys []string
	}
	var stack []frame
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		top := len(stack) - 1
		isKey := top >= 0 && stack[top].obj >= 0 && stack[top].key
		if top >= 0 && stack[top].obj >= 0 {
			stack[top].key = !stack[top].key
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, frame{obj: len(o.objs), key: true})
				o.objs = append(o.objs, docObject{})
			case '[':
				stack = append(stack, frame{obj: -1})
			default:
				if f := stack[top]; f.obj >= 0 {
					sig := strings.Join(f.keys, "\x00")
					pos := seen[sig]
					if pos == nil {
						pos = make(map[string]int, len(f.keys))
						for i, k := range f.keys {
							pos[k] = i
						}
						seen[sig] = pos
						o.seqs = append(o.seqs, pos)
						if set := keySet(f.keys); o.exact[set] == nil {
							o.exact[set] = pos
						} else {
							o.many[set] = true
						}
					}
					o.objs[f.obj].keys, o.objs[f.obj].pos = f.keys, pos
				}
				stack = stack[:top]
				if len(stack) > 0 && stack[len(stack)-1].obj >= 0 {
					// The closed container was a value: the parent's next token is a key.
					stack[len(stack)-1].key = true
				}
			}
		case string:
			if isKey {
				stack[top].keys = append(stack[top].keys, t)
				if _, ok := o.first[t]; !ok {
					o.first[t] = len(o.first)
				}
			}
		}
	}
	// Walk doc in the order the objects opened, so the n-th map is the n-th object. A document
	// that does not pair up (a key given twice) leaves the rest unpaired.
	n := 0
	var pair func(v any) bool
	pair = func(v any) bool {
		switch x := v.(type) {
		case map[string]any:
			if n >= len(o.objs) || len(o.objs[n].keys) != len(x) {
				return false
			}
			obj := &o.objs[n]
			n++
			obj.m = x
			o.byMap[reflect.ValueOf(x).Pointer()] = obj.pos
			for _, k := range obj.keys {
				if !pair(x[k]) {
					return false
				}
			}
		case []any:
			for _, e := range x {
				if !pair(e) {
					return false
				}
			}
		}
		return true
	}
	pair(doc)
	return o
}

// orderOf is the place of each key of m, a jq result with the given keys: the document
// object's own order when m is one, the order the expression built it in, or that of a
// document object holding its keys (the object came from there, or was cut from one); failing
// that, the order each key first appears in the document. Keys placed nowhere come last,
// sorted.
func (o *keyOrders) orderOf(m map[string]any, keys []string) map[string]int {
	if pos, ok := o.byMap[reflect.ValueOf(m).Pointer()]; ok {
		return pos
	}
	set := keySet(keys)
	for _, s := range o.built {
		if !s.doc && s.set == set {
			return s.pos
		}
	}
	for i, s := range o.built {
		if s.doc {
			if pos := o.grown(i, s, m, keys, set); pos != nil {
				return pos
			}
		}
	}
	if pos := o.exact[set]; pos != nil {
		if o.many[set] {
			// Two document objects hold these keys in different orders: one whose values m
			// has (to_entries | from_entries) is where it came from.
			idx := o.byVal[set]
			if idx == nil {
				idx = o.valueIndex(o.withKeys(set), strings.Split(set, "\x00"))
				o.byVal[set] = idx
			}
			if v, ok := valuesAt(m, strings.Split(set, "\x00")); ok {
				if i, ok := idx[v]; ok {
					return o.objs[i].pos
				}
			}
		}
		return pos
	}
	for _, s := range o.seqs {
		all := len(s) >= len(keys)
		for _, k := range keys {
			if _, ok := s[k]; !ok {
				all = false
				break
			}
		}
		if all {
			return s
		}
	}
	return o.first
}

// growPlan is how grown places the objects with one key set under one shape, worked out once
// for all the results with that key set.
type growPlan struct {
	base  []string                   // the keys of m the shape does not write, sorted
	cands []growCand                 // the key sets D may have that the document holds
	pos   map[uintptr]map[string]int // the order made from each key sequence of D
}

// growCand is one key set that D, the document object grown, may have: base and over of the
// keys the shape writes (D had them, the shape overwrote them).
type growCand struct {
	over  int
	first int            // the first document object with these keys
	byVal map[string]int // D's values at base -> D, when there is a choice to make
}

// grown is the order of m when it is a document object D grown by the shape s (D + {z: 1}):
// D's keys in D's order, the keys s writes in their places in s, each key at its first place.
// D holds the keys of m that s does not write, and maybe some that it does (overwritten); the D
// whose values m still has is taken, else the one with fewest overwritten keys. Nil when no
// object of the document fits.
func (o *keyOrders) grown(si int, s keyShape, m map[string]any, keys []string, set string) map[string]int {
	pk := strconv.Itoa(si) + "\x01" + set
	p := o.plans[pk]
	if p == nil {
		p = o.planGrowth(s, keys)
		o.plans[pk] = p
	}
	if len(p.cands) == 0 {
		return nil
	}
	found := p.cands[0].first
	if p.cands[0].byVal != nil {
		if v, ok := valuesAt(m, p.base); ok {
			for _, c := range p.cands {
				if i, ok := c.byVal[v]; ok {
					found = i
					break
				}
			}
		}
	}
	d := o.objs[found]
	dk := reflect.ValueOf(d.pos).Pointer()
	if pos := p.pos[dk]; pos != nil {
		return pos
	}
	pos := make(map[string]int, len(keys))
	put := func(k string) {
		if _, ok := m[k]; ok {
			if _, done := pos[k]; !done {
				pos[k] = len(pos)
			}
		}
	}
	for _, part := range s.parts {
		if !part.doc {
			put(part.key)
			continue
		}
		for _, k := range d.keys {
			put(k)
		}
	}
	p.pos[dk] = pos
	return pos
}

// planGrowth finds the key sets of the document that a D grown by s into an object with the
// given keys may have, fewest overwritten keys first.
func (o *keyOrders) planGrowth(s keyShape, keys []string) *growPlan {
	p := &growPlan{pos: map[uintptr]map[string]int{}}
	var over []string
	for _, k := range keys {
		if s.lits[k] {
			over = append(over, k)
		} else {
			p.base = append(p.base, k)
		}
	}
	if len(over) == 0 || len(over) > 8 {
		return p // no key of s in m: not made by s; many: too many ways to try
	}
	sort.Strings(p.base)
	sort.Strings(over)
	choice := false
	for mask := 0; mask < 1<<len(over); mask++ {
		set := slices.Clone(p.base)
		for i, k := range over {
			if mask&(1<<i) != 0 {
				set = append(set, k)
			}
		}
		sk := keySet(set)
		if objs := o.withKeys(sk); len(objs) > 0 {
			p.cands = append(p.cands, growCand{over: bits.OnesCount(uint(mask)), first: objs[0]})
			choice = choice || o.many[sk]
		}
	}
	sort.SliceStable(p.cands, func(i, j int) bool { return p.cands[i].over < p.cands[j].over })
	if choice || len(p.cands) > 1 {
		// Which D m came from decides the order: find it by its values.
		for i := range p.cands {
			c := &p.cands[i]
			c.byVal = o.valueIndex(o.withKeys(keySet(o.objs[c.first].keys)), p.base)
		}
	}
	return p
}

// withKeys is the document objects with exactly the key set sk.
func (o *keyOrders) withKeys(sk string) []int {
	if o.bySet == nil {
		o.bySet = map[string][]int{}
		for i, obj := range o.objs {
			if obj.m != nil {
				s := keySet(obj.keys)
				o.bySet[s] = append(o.bySet[s], i)
			}
		}
	}
	return o.bySet[sk]
}

// valueIndex maps the values of each of objs at keys (sorted) to the first object having them.
func (o *keyOrders) valueIndex(objs []int, keys []string) map[string]int {
	idx := make(map[string]int, len(objs))
	for _, i := range objs {
		if v, ok := valuesAt(o.objs[i].m, keys); ok {
			if _, dup := idx[v]; !dup {
				idx[v] = i
			}
		}
	}
	return idx
}

// valuesAt is the values of m at keys as one string, to compare objects by value. Strings and
// numbers of the document (the usual values) are written as they are, each after its length.
func valuesAt(m map[string]any, keys []string) (string, bool) {
	var b []byte
	for _, k := range keys {
		var s string
		switch v := m[k].(type) {
		case string:
			b, s = append(b, 's'), v
		case json.Number:
			b, s = append(b, 'n'), string(v)
		default:
			j, err := gojq.Marshal(v)
			if err != nil {
				return "", false
			}
			b, s = append(b, 'j'), string(j)
		}
		b = append(strconv.AppendInt(b, int64(len(s)), 10), ':')
		b = append(b, s...)
	}
	return string(b), true
}

// keySet names a set of keys whatever their order.
func keySet(keys []string) string {
	s := slices.Clone(keys)
	sort.Strings(s)
	return strings.Join(s, "\x00")
}

// appendOrdered writes a jq result as compact JSON with object keys in the order jq would
// print them (orderOf).
func appendOrdered(b []byte, v any, order *keyOrders) ([]byte, error) {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		pos := order.orderOf(x, keys)
		sort.Slice(keys, func(i, j int) bool {
			oi, iok := pos[keys[i]]
			oj, jok := pos[keys[j]]
			switch {
			case iok && jok:
				return oi < oj
			case iok != jok:
				return iok
			}
			return keys[i] < keys[j]
		})
		b = append(b, '{')
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			kb, err := gojq.Marshal(k)
			if err != nil {
				return nil, err
			}
			b = append(append(b, kb...), ':')
			if b, err = appendOrdered(b, x[k], order); err != nil {
				return nil, err
			}
		}
		return append(b, '}'), nil
	case []any:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendOrdered(b, e, order); err != nil {
				return nil, err
			}
		}
		return append(b, ']'), nil
	}
	s, err := gojq.Marshal(v)
	return append(b, s...), err
}
