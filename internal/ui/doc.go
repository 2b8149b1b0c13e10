// Package ui owns the program's Fyne windows: the hall overview and, one file
// each, the windows of every role. It talks to the hall only through
// hall.Service, so the same windows run on the hall node and on any other PC.
package ui
