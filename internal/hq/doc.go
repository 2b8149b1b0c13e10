// Package hq is headquarters' side of the hall sync: the HTTP server that
// takes halls' event batches and hands them outage notices, the rules that
// decide what a batch does to a hall's records (Decide), and the Storage
// interface that keeps them. It imports no Fyne and no database driver;
// hq/sqlitestore is the embedded storage and hq/pgstore the PostgreSQL
// one; hq/storetest holds the contract both pass.
package hq
