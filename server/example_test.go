package server

import (
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
)

// A server on any implementation of the root interfaces; here the test
// fakes. POST /api/v1/tag finds the places of a text and stores nothing.
func ExampleServer_Handler() {
	srv := New(Config{
		Reports: newMemReports(),
		Tagger:  &fakeTagger{},
		Places:  fakePlaces{},
	})
	req := httptest.NewRequest("POST", "/api/v1/tag", strings.NewReader(`{"text":"From Amman to Nice"}`))
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	srv.Handler().ServeHTTP(w, req)
	body, _ := io.ReadAll(w.Body)
	fmt.Println(w.Code, w.Header().Get("Content-Type"))
	fmt.Println(strings.Contains(string(body), `"start":5,"end":10,"text":"Amman"`))
	// Output:
	// 200 application/json; charset=utf-8
	// true
}

// Errors are RFC 9457 problem documents naming the field at fault.
func ExampleProblem() {
	srv := New(Config{Reports: newMemReports(), Tagger: &fakeTagger{}, Places: fakePlaces{}})
	w := httptest.NewRecorder()
	srv.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/api/v1/reports?bbox=0,95,1,96", nil))
	fmt.Println(w.Code, w.Header().Get("Content-Type"))
	fmt.Println(w.Body.String())
	// Output:
	// 400 application/problem+json
	// {"type":"about:blank","title":"Bad Request","status":400,"detail":"bbox latitudes must be within ±90","instance":"/api/v1/reports","code":"invalid","field":"bbox"}
}
