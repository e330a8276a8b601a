package api

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// openAPIDoc is the embedded document, decoded for tests.
func openAPIDoc(t *testing.T) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(openAPIJSON, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	return doc
}

var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// TestOpenAPIMatchesRoutes keeps openapi.json and the route table in step:
// every route is described, and nothing else is.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	doc := openAPIDoc(t)
	inDoc := map[string]bool{}
	for path, item := range doc["paths"].(map[string]any) {
		for method := range item.(map[string]any) {
			if slices.Contains(httpMethods, method) {
				inDoc[strings.ToUpper(method)+" "+path] = true
			}
		}
	}
	inRoutes := map[string]bool{}
	for _, rt := range testHandler(t, Options{}).routes() {
		key := rt.method + " " + rt.pattern
		if inRoutes[key] {
			t.Errorf("routes.go lists %s twice", key)
		}
		inRoutes[key] = true
	}
	for _, key := range sortedKeys(inRoutes) {
		if !inDoc[key] {
			t.Errorf("routes.go has %s, openapi.json does not", key)
		}
	}
	for _, key := range sortedKeys(inDoc) {
		if !inRoutes[key] {
			t.Errorf("openapi.json has %s, routes.go does not", key)
		}
	}
}

// TestOpenAPISecurity checks that exactly the public routes waive the
// bearer token the document requires by default.
func TestOpenAPISecurity(t *testing.T) {
	doc := openAPIDoc(t)
	if fmt.Sprint(doc["security"]) != "[map[bearerAuth:[]]]" {
		t.Errorf("security = %v, want bearerAuth for all", doc["security"])
	}
	paths := doc["paths"].(map[string]any)
	for _, rt := range testHandler(t, Options{}).routes() {
		item, _ := paths[rt.pattern].(map[string]any)
		op, _ := item[strings.ToLower(rt.method)].(map[string]any)
		sec, waived := op["security"].([]any)
		waived = waived && len(sec) == 0
		if want := rt.guard == public; waived != want {
			t.Errorf("%s %s: security waived = %v, want %v", rt.method, rt.pattern, waived, want)
		}
	}
}

// TestOpenAPIWellFormed checks what a linter would: every $ref resolves,
// every path parameter is declared, operation IDs are unique and every
// operation answers something.
func TestOpenAPIWellFormed(t *testing.T) {
	doc := openAPIDoc(t)
	var walk func(where string, v any)
	walk = func(where string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				if _, err := resolveRef(doc, ref); err != nil {
					t.Errorf("%s: %v", where, err)
				}
			}
			for k, x := range v {
				walk(where+"/"+k, x)
			}
		case []any:
			for i, x := range v {
				walk(fmt.Sprintf("%s/%d", where, i), x)
			}
		}
	}
	walk("#", doc)

	ids := map[string]string{}
	wildcard := regexp.MustCompile(`\{([a-z]+)\}`)
	for path, item := range doc["paths"].(map[string]any) {
		item := item.(map[string]any)
		for method, op := range item {
			if !slices.Contains(httpMethods, method) {
				continue
			}
			op := op.(map[string]any)
			id, _ := op["operationId"].(string)
			if id == "" {
				t.Errorf("%s %s: no operationId", method, path)
			} else if other, dup := ids[id]; dup {
				t.Errorf("operationId %s used by %s and %s %s", id, other, method, path)
			}
			ids[id] = method + " " + path
			if rs, _ := op["responses"].(map[string]any); len(rs) == 0 {
				t.Errorf("%s %s: no responses", method, path)
			}
			declared := map[string]bool{}
			for _, ps := range []any{item["parameters"], op["parameters"]} {
				list, _ := ps.([]any)
				for _, p := range list {
					p := p.(map[string]any)
					if ref, ok := p["$ref"].(string); ok {
						r, _ := resolveRef(doc, ref)
						p = r.(map[string]any)
					}
					if p["in"] == "path" {
						declared[p["name"].(string)] = true
					}
				}
			}
			for _, m := range wildcard.FindAllStringSubmatch(path, -1) {
				if !declared[m[1]] {
					t.Errorf("%s %s: path parameter %s is not declared", method, path, m[1])
				}
				delete(declared, m[1])
			}
			for name := range declared {
				t.Errorf("%s %s: declares path parameter %s it does not have", method, path, name)
			}
		}
	}
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	for _, name := range []string{"Ticket", "Entry", "Queue", "User", "Attachment", "Problem", "Page"} {
		if schemas[name] == nil {
			t.Errorf("components.schemas has no %s", name)
		}
	}
}

// resolveRef returns what a local $ref ("#/components/…") points to.
func resolveRef(doc map[string]any, ref string) (any, error) {
	if !strings.HasPrefix(ref, "#/") {
		return nil, fmt.Errorf("$ref %s is not local", ref)
	}
	var cur any = doc
	for _, part := range strings.Split(ref[2:], "/") {
		m, ok := cur.(map[string]any)
		if !ok || m[part] == nil {
			return nil, fmt.Errorf("$ref %s does not resolve", ref)
		}
		cur = m[part]
	}
	return cur, nil
}

// checkSchema reports where v does not fit schema: a small subset of JSON
// Schema (type, const, enum, required, properties, items, oneOf, $ref) that
// openapi.json uses. Objects with properties must not carry other keys, so
// that the document lists every field the API sends.
func checkSchema(doc map[string]any, schema map[string]any, v any, where string) []string {
	if ref, ok := schema["$ref"].(string); ok {
		r, err := resolveRef(doc, ref)
		if err != nil {
			return []string{where + ": " + err.Error()}
		}
		return checkSchema(doc, r.(map[string]any), v, where)
	}
	if alts, ok := schema["oneOf"].([]any); ok {
		for _, alt := range alts {
			if len(checkSchema(doc, alt.(map[string]any), v, where)) == 0 {
				return nil
			}
		}
		return []string{fmt.Sprintf("%s: %v fits no oneOf", where, v)}
	}
	var problems []string
	if types := schemaTypes(schema); len(types) > 0 && !slices.Contains(types, jsonType(v)) &&
		!(jsonType(v) == "integer" && slices.Contains(types, "number")) {
		return []string{fmt.Sprintf("%s: %s %v, want %v", where, jsonType(v), v, types)}
	}
	if c, ok := schema["const"]; ok && c != v {
		problems = append(problems, fmt.Sprintf("%s: %v, want %v", where, v, c))
	}
	if enum, ok := schema["enum"].([]any); ok && v != nil && !slices.Contains(enum, v) {
		problems = append(problems, fmt.Sprintf("%s: %v is not one of %v", where, v, enum))
	}
	switch v := v.(type) {
	case map[string]any:
		props, _ := schema["properties"].(map[string]any)
		for _, r := range asList(schema["required"]) {
			if _, ok := v[r.(string)]; !ok {
				problems = append(problems, fmt.Sprintf("%s: required %s is missing", where, r))
			}
		}
		for k, x := range v {
			if ps, ok := props[k].(map[string]any); ok {
				problems = append(problems, checkSchema(doc, ps, x, where+"."+k)...)
			} else if props != nil {
				problems = append(problems, fmt.Sprintf("%s: %s is not in the schema", where, k))
			}
		}
	case []any:
		if items, ok := schema["items"].(map[string]any); ok {
			for i, x := range v {
				problems = append(problems, checkSchema(doc, items, x, fmt.Sprintf("%s[%d]", where, i))...)
			}
		}
	}
	return problems
}

func schemaTypes(schema map[string]any) []string {
	switch t := schema["type"].(type) {
	case string:
		return []string{t}
	case []any:
		var out []string
		for _, x := range t {
			out = append(out, x.(string))
		}
		return out
	}
	return nil
}

func asList(v any) []any { l, _ := v.([]any); return l }

func jsonType(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64:
		if v == float64(int64(v)) {
			return "integer"
		}
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// responseSchema finds the schema openapi.json gives the response of
// method on a request path (not a pattern) with status and content type;
// ok is false when the document does not describe that response.
func responseSchema(doc map[string]any, method, path string, status int, contentType string) (schema map[string]any, ok bool) {
	paths := doc["paths"].(map[string]any)
	for pattern, item := range paths {
		if !matchPath(pattern, path) {
			continue
		}
		if exact, ok := paths[path]; ok {
			item = exact // a literal path wins over a pattern, as in the router
		}
		op, _ := item.(map[string]any)[strings.ToLower(method)].(map[string]any)
		resp, _ := op["responses"].(map[string]any)[fmt.Sprint(status)].(map[string]any)
		if resp == nil {
			return nil, false
		}
		if ref, isRef := resp["$ref"].(string); isRef {
			r, _ := resolveRef(doc, ref)
			resp = r.(map[string]any)
		}
		content, _ := resp["content"].(map[string]any)
		if len(content) == 0 {
			return nil, contentType == ""
		}
		mt, _ := content[contentType].(map[string]any)
		if mt == nil {
			mt, _ = content["*/*"].(map[string]any)
		}
		if mt == nil {
			return nil, false
		}
		s, _ := mt["schema"].(map[string]any)
		return s, true
	}
	return nil, false
}

func matchPath(pattern, path string) bool {
	ps, xs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(xs) {
		return false
	}
	for i := range ps {
		if !strings.HasPrefix(ps[i], "{") && ps[i] != xs[i] {
			return false
		}
	}
	return true
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
