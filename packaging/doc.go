// Package packaging holds what ships walnotify to a server: the hardened systemd unit
// (walnotify.service) and the script that builds the Debian package (deb.sh). Its test builds
// the package and lists what is inside.
package packaging
