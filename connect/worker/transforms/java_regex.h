/*
 * Java regular expressions (java.util.regex.Pattern) on POSIX regcomp/regexec (REG_EXTENDED), for
 * the patterns operators write for topic names: RegexRouter's `regex` + `replacement` and
 * TopicNameMatches' `pattern`. Private to connect/worker/transforms/.
 *
 * A Java pattern is translated to an extended POSIX expression: literals and escapes (\t \n \xhh
 * \uhhhh \0oct \cX \Q...\E, escaped punctuation), \d \D \w \W \s \S, \p{Lower} and the other
 * ASCII \p{...} classes, character classes with ranges and negation, groups (capturing, named
 * (?<name>...), non-capturing (?:...)), alternation, the greedy quantifiers * + ? {n} {n,} {n,m},
 * anchors ^ $, back references \n and \k<name>, and the inline flags (?i) (?s) (?m) (?d) (?u) at
 * the very start of the pattern.
 *
 * Refused at compile time, with a message saying what is not supported and where (Java's
 * PatternSyntaxException layout: "<what> near index <i>\n<pattern>\n<caret>"):
 *   lookahead / lookbehind (?=...) (?!...) (?<=...) (?<!...), atomic groups (?>...), reluctant
 *   (*? +? ?? {n}?) and possessive (*+ ++ ?+ {n}+) quantifiers, inline flags elsewhere than at
 *   the start or other than i s m d u, flag groups (?i:...), boundary matchers \b \B \A \G \Z \z,
 *   \h \H \v \V \R \X, Unicode classes (\p{L}, \p{IsLatin}, ...), class unions and intersections
 *   ([a[b]] [a&&b]), negated shorthands inside a class ([\D]), non-ASCII characters inside a class,
 *   and back references to a group past POSIX's ninth.
 * Java's own syntax errors are reported with Java's texts ("Unclosed group", "Dangling meta
 * character '*'", "Illegal repetition", ...).
 *
 * Semantic differences that remain: POSIX picks the leftmost-longest match, Java the first
 * alternative that succeeds, so the groups of an ambiguous pattern may differ (the overall match
 * of `matches()` is the same); `.` and classes work on bytes, so a non-ASCII character counts as
 * several (topic names are ASCII).
 *
 * Memory: kc_java_regex_new returns an object freed with kc_java_regex_free; strings returned are
 * new (free()). Threads: a compiled pattern is immutable; regexec is thread-safe.
 */
#ifndef KC_WORKER_TRANSFORMS_JAVA_REGEX_H
#define KC_WORKER_TRANSFORMS_JAVA_REGEX_H

#include "connect/api/error.h"

typedef struct kc_java_regex kc_java_regex;

/* Compiles pattern. NULL with err->msg in Java's PatternSyntaxException.getMessage() form. */
kc_java_regex *kc_java_regex_new(const char *pattern, kc_error *err);
void kc_java_regex_free(kc_java_regex *re);

/* Matcher.matches(): 1 when the whole text matches, 0 when not, -1 with err on failure. */
int kc_java_regex_matches(const kc_java_regex *re, const char *text, kc_error *err);

/* When the whole text matches, Matcher.replaceFirst(replacement) with Java's $n, ${name} and \x
 * syntax: *out gets the new string and 1 is returned. 0 when text does not match (*out NULL).
 * -1 with Java's exception text (e.g. "No group 3", "Illegal group reference") on a bad
 * replacement, or on OOM. */
int kc_java_regex_replace(const kc_java_regex *re, const char *text, const char *replacement, char **out,
                          kc_error *err);

#endif
