// Package e2e holds Guichet's browser tests: they start the real app on a
// fresh database, drive Debian's headless chromium through chromedp as a
// citizen or a staff member would, and check pages with axe-core (WCAG 2.2
// A and AA) and for reflow at 320 px. The package has no code outside its
// tests.
//
// axe-core comes from npm; install it once from the repository root:
//
//	npm ci --prefix web/e2e
//	go test -run TestCitizen ./server/e2e/
package e2e
