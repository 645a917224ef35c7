# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""Native matching core: the hot path of :class:`repair.Repairer` compiled with Cython.

What it does, and what the pure-Python modules it mirrors do (they stay the reference that
tests/test_native.py holds this module to, and the fallback where no compiler built it):

* candidates: every whole-word, case-insensitive occurrence of a pattern, as
  ``repair.matcher.Matcher.split_candidates`` finds with ``fold`` + Aho-Corasick + boundary
  checks. Here a character trie is walked from the positions where a pattern may start (a bit
  filter of the patterns' first words rules out most words first), reading the text's code
  points in place and folding them on the fly: no folded copy, no automaton output to filter.
* passes: the leftmost-longest passes with each pattern's context rules (``Repairer._hits``,
  ``Context.holds``) and bigram plausibility (``plausibility.best_candidate``, the same
  arithmetic in the same order). Case, after/before word sets and the tokens they read are
  checked here for ASCII neighbourhoods; anything else (a non-ASCII character beside the match,
  ``doc-has=``, a ``case=`` other than ``lower`` decided by its first letter) is asked of the
  Python code itself, so the answers are the reference's by construction.
* scan and edits: evidence counts, the edit loop of ``Repairer.repair`` and the output text.
* fuzzy names: where runs of capitalised words with a known spun word can be.
"""

cimport cython
from libc.stdlib cimport free, malloc, qsort, realloc
from libc.math cimport exp, log
from libc.stdint cimport int32_t, uint8_t, uint16_t, uint32_t, uint64_t

import unicodedata

import regex

KNOWN_CONTEXT_FIELDS = frozenset({
    "after", "not_after", "before", "not_before", "case", "doc_has", "plausible", "no_evidence",
    "lower_only", "source",
})
"""The fields of ``repair.context.Context`` this core reads or deliberately passes to Python:
``repair.matcher.native_core`` refuses to build where the Context has another (a new clause
the core would silently ignore)."""
KNOWN_WORD_CLASSES = frozenset({"@cap", "@lower", "@num", "@punct", "@none"})
"""The word classes ``_build_rules`` turns into bits (W_CAP ... W_NONE)."""

cdef extern from "Python.h":
    int PyUnicode_KIND(object)
    void* PyUnicode_DATA(object)
    Py_ssize_t PyUnicode_GET_LENGTH(object)
    Py_UCS4 PyUnicode_READ(int kind, void* data, Py_ssize_t i) nogil
    Py_UCS4 Py_UNICODE_TOLOWER(Py_UCS4 c) nogil
    bint Py_UNICODE_ISALNUM(Py_UCS4 c) nogil
    bint Py_UNICODE_ISUPPER(Py_UCS4 c) nogil
    bint Py_UNICODE_ISLOWER(Py_UCS4 c) nogil
    bint Py_UNICODE_ISSPACE(Py_UCS4 c) nogil
    bint Py_UNICODE_ISTITLE(Py_UCS4 c) nogil
    bint Py_UNICODE_ISALPHA(Py_UCS4 c) nogil
    bint Py_UNICODE_ISDIGIT(Py_UCS4 c) nogil

cdef extern from "Python.h":
    ctypedef struct PyTypeObject:
        pass
    ctypedef struct PyObject:
        pass
    object PyType_GenericAlloc(PyTypeObject* tp, Py_ssize_t n)
    void PyTuple_SET_ITEM(PyObject* t, Py_ssize_t i, PyObject* o)
    bint PyUnicode_IS_ASCII(object o)
    object PyUnicode_New(Py_ssize_t size, Py_UCS4 maxchar)
    Py_UCS4 PyUnicode_MAX_CHAR_VALUE(object o)
    void PyUnicode_WRITE(int kind, void* data, Py_ssize_t i, Py_UCS4 c) nogil
    void Py_INCREF(PyObject*)

from libc.string cimport memcpy


cdef inline void _fill(object t, Py_ssize_t i, object item):
    Py_INCREF(<PyObject*>item)
    PyTuple_SET_ITEM(<PyObject*>t, i, <PyObject*>item)


# Named tuples made as tuple's own subtype constructor makes them (allocate, then fill), without
# their Python __new__ and the temporary argument tuples of tuple.__new__(type, items).

cdef object _hit(type tp, Py_ssize_t s, Py_ssize_t e, entry, canonicals):
    cdef object t = PyType_GenericAlloc(<PyTypeObject*>tp, 4)
    _fill(t, 0, s)
    _fill(t, 1, e)
    _fill(t, 2, entry)
    _fill(t, 3, canonicals)
    return t


cdef object _evidence(type tp, tuple head, n, origin):
    cdef object t = PyType_GenericAlloc(<PyTypeObject*>tp, 5)
    _fill(t, 0, head[0])
    _fill(t, 1, head[1])
    _fill(t, 2, head[2])
    _fill(t, 3, n)
    _fill(t, 4, origin)
    return t


cdef object _edit(type tp, Py_ssize_t s, Py_ssize_t e, before, after, origin, tier, confidence,
                  reason, category):
    cdef object t = PyType_GenericAlloc(<PyTypeObject*>tp, 9)
    _fill(t, 0, s)
    _fill(t, 1, e)
    _fill(t, 2, before)
    _fill(t, 3, after)
    _fill(t, 4, origin)
    _fill(t, 5, tier)
    _fill(t, 6, confidence)
    _fill(t, 7, reason)
    _fill(t, 8, category)
    return t


ctypedef fused char_t:
    uint8_t
    uint16_t
    Py_UCS4


cdef struct Text:
    int kind
    void* data
    Py_ssize_t n

cdef struct Hit:
    Py_ssize_t start
    Py_ssize_t end
    int32_t rule


cdef struct Marks:
    Cand* buf       # (start, end) of segments that may start a fuzzy name's spun word
    Py_ssize_t n
    Py_ssize_t cap


cdef struct Cand:
    Py_ssize_t start
    Py_ssize_t end
    int32_t pat

cdef struct RuleAt:
    int32_t rule
    int32_t pos     # (the hit's index)
    int32_t count


cdef int _by_int32(const void* a, const void* b) noexcept nogil:
    cdef int32_t x = (<const int32_t*>a)[0], y = (<const int32_t*>b)[0]
    return -1 if x < y else (1 if x > y else 0)


cdef int _by_rule(const void* a, const void* b) noexcept nogil:
    """qsort order of RuleAt: by rule, then by position."""
    cdef const RuleAt* x = <const RuleAt*>a
    cdef const RuleAt* y = <const RuleAt*>b
    if x.rule != y.rule:
        return -1 if x.rule < y.rule else 1
    return -1 if x.pos < y.pos else (1 if x.pos > y.pos else 0)


cdef int _by_pos(const void* a, const void* b) noexcept nogil:
    cdef const RuleAt* x = <const RuleAt*>a
    cdef const RuleAt* y = <const RuleAt*>b
    return -1 if x.pos < y.pos else (1 if x.pos > y.pos else 0)


cdef uint8_t ASCII_WORD[128]   # str.isalnum() or "_"
cdef uint8_t ASCII_ALNUM[128]  # str.isalnum()
cdef Py_ssize_t JUNCTION_SPAN = 120  # junctions._SPAN: characters read on each side of an edit
cdef uint8_t _TRIM_ASCII[128]  # the ASCII part of junctions._TRIM (see _junction_trim)
cdef uint8_t _LEAD_ASCII[128]  # and of junctions._LEAD
for _i in range(128):
    _TRIM_ASCII[_i] = chr(_i) in "\"'.,;:!?)]}"
    _LEAD_ASCII[_i] = chr(_i) in "\"'([{"
cdef uint8_t ASCII_SPACE[128]  # what both \s and str.isspace() call space in ASCII (no \x1c-\x1f)
for _i in range(128):
    _c = chr(_i)
    ASCII_WORD[_i] = _c.isalnum() or _c == "_"
    ASCII_ALNUM[_i] = _c.isalnum()
    ASCII_SPACE[_i] = _c in " \t\n\r\x0b\x0c"

cdef uint64_t HASH_SEED = 14695981039346656037ULL  # segment hash: rotate by 8 and add the next class


cdef inline uint64_t _step(uint64_t h, uint64_t c) noexcept nogil:
    """One character class into a segment's hash: two cycles a character (a rotate and an
    exclusive or; a multiply per character took four), and up to eight classes are kept apart
    exactly; the filter's multiply (_in_filter) mixes the bits once per segment."""
    return ((h << 8) | (h >> 56)) ^ c

cdef uint64_t HASH_MIX = 11400714819323198485ULL    # Fibonacci hashing: the top bits index the filter
cdef uint64_t HASH_PAIR = 0x9E3779B97F4A7C15ULL     # combines a first and a second segment
cdef object _category = unicodedata.category
cdef object _TOKEN_WORD = regex.compile(r"\w").match   # context._NEXT/_PREV's \w and \s
cdef object _TOKEN_SPACE = regex.compile(r"\s").match

# what the core asks of a code point beyond ASCII, worked out once per code point (kept in a
# table for the BMP: news sets curly quotes and dashes between most words)
cdef dict _CODE_POINTS = {}  # beyond the BMP: code point -> its CP_* bits
cdef uint8_t _CODE_POINT_BMP[65536]  # per BMP code point: CP_KNOWN and its CP_* bits once asked
DEF FOLD_FIRST = 1  # the character's casefold() starts with a letter or digit
DEF FOLD_LAST = 2   # ... ends with one
DEF FOLD_ASCII = 4  # ... holds an ASCII character ("\u212a" Kelvin -> "k", "\u0149" -> "\u02bcn")
DEF TC_WORD = 16    # the token readers' \w (the regex module's: letters, marks, digits, ...)
DEF TC_SPACE = 32   # their \s
DEF CP_KNOWN = 64   # (in _CODE_POINT_BMP) the bits are worked out
DEF CP_WORD = 128   # matcher.is_word_char: str.isalnum() or a combining mark


cdef int _code_point_bits(Py_UCS4 c) except -1:
    ch = chr(c)
    f = ch.casefold()
    return ((FOLD_ASCII if any(ord(x) < 128 for x in f) else 0)
            | (FOLD_FIRST if f[:1].isalnum() else 0) | (FOLD_LAST if f[-1:].isalnum() else 0)
            | (CP_WORD if ch.isalnum() or _category(ch)[0] == "M" else 0)
            | (TC_WORD if _TOKEN_WORD(ch) is not None else 0) | (TC_SPACE if _TOKEN_SPACE(ch) is not None else 0))


cdef inline int _code_point(Py_UCS4 c) except -1:
    """The CP_* bits of a code point beyond ASCII (FOLD_*, CP_WORD, TC_*)."""
    cdef uint8_t v
    if c < 65536:
        v = _CODE_POINT_BMP[c]
        if v == 0:
            v = _CODE_POINT_BMP[c] = CP_KNOWN | _code_point_bits(c)
        return v & ~CP_KNOWN
    found = _CODE_POINTS.get(c)
    if found is None:
        found = _CODE_POINTS[c] = _code_point_bits(c)
    return found

# token read results
DEF TOK_OK = 0
DEF TOK_NONE = 1      # start or end of text: no token
DEF UNREAD = 3

# word-class bits of a word set
DEF W_CAP = 1
DEF W_LOWER = 2
DEF W_NUM = 4
DEF W_PUNCT = 8
DEF W_NONE = 16

DEF TERMINAL = 128  # Node.nk: a pattern ends at this node
DEF DENSE = 64      # Node.nk: the node's children are found in its full row of Core.dense
DEF KIDS = 63       # Node.nk: how many children (sparse nodes)
DEF DENSE_KIDS = 6  # nodes with at least this many children get a full row

# what an entry's tier means for the edit loop
DEF RULE_STRONG = 0
DEF RULE_WEAK = 1     # likely, context: written only in a spun document
DEF RULE_PROTECT = 2  # matched, never changed

# how a context's case clause is checked
DEF CASE_NONE = 0
DEF CASE_LOWER = 1    # case=lower: decided by the first character when it is cased
DEF CASE_OTHER = 2    # asked of Context.case_matches



cdef int _doc_has_ascii(Text* t, const unsigned char* blob, const int32_t* starts, const int32_t* lens,
                        const int32_t* order, const int32_t* bucket) noexcept:
    """context.Context.doc_has_in(text.casefold()) for ASCII phrases, read in one pass over the
    text itself: a phrase may start where the folded text has no letter or digit before it and
    an ASCII character, capitals read as small ones, is its first (``bucket``: per such
    character, the range of ``order`` that lists the group's phrases starting with it; each
    phrase at ``blob[starts[k]:starts[k] + lens[k]]``). 1: found, 0: not found, -1: the text
    holds a character that folds to ASCII ("\u212a" Kelvin -> "k"), which could complete a
    phrase: ask the folded text. Read in the text's own width of code points."""
    if t.kind == 1:
        return _doc_has_in(<const uint8_t*>t.data, t.n, blob, starts, lens, order, bucket)
    if t.kind == 2:
        return _doc_has_in(<const uint16_t*>t.data, t.n, blob, starts, lens, order, bucket)
    return _doc_has_in(<const Py_UCS4*>t.data, t.n, blob, starts, lens, order, bucket)


cdef int _doc_has_in(const char_t* s, Py_ssize_t n, const unsigned char* blob, const int32_t* starts,
                     const int32_t* lens, const int32_t* order, const int32_t* bucket) noexcept:
    """_doc_has_ascii for one width of code points. After a phrase may start, the rest of a
    run of ASCII letters and digits (where none may) is passed over in a tight loop."""
    cdef Py_ssize_t i = 0, k, m, q
    cdef uint32_t c, u, f
    cdef int info
    cdef bint prev_alnum = False
    cdef const unsigned char* p
    while i < n:
        c = s[i]
        if c >= 128:
            info = _code_point(c)
            if info & FOLD_ASCII:
                return -1
            prev_alnum = info & FOLD_LAST
            i += 1
            continue
        if not prev_alnum:
            f = c + 32 if 65 <= c <= 90 else c
            for q in range(bucket[f], bucket[f + 1]):
                p = blob + starts[order[q]]
                m = lens[order[q]]
                if i + m > n:
                    continue
                for k in range(1, m):
                    u = s[i + k]
                    if 65 <= u <= 90:
                        u += 32
                    if u != p[k]:
                        break
                else:
                    if i + m == n:
                        return 1
                    u = s[i + m]
                    if not (ASCII_ALNUM[u] if u < 128 else (_code_point(u) & FOLD_FIRST)):
                        return 1
        i += 1
        if ASCII_ALNUM[c]:
            while i < n and s[i] < 128 and ASCII_ALNUM[s[i]]:
                i += 1
            prev_alnum = True
        else:
            prev_alnum = False
    return 0


cdef extern from *:
    """
    /* The next quotation mark or line break: sixteen Latin-1 or eight UCS-2 code points a
       step where the compiler targets SSE2 (every x86-64), one at a time elsewhere. */
    #if defined(__SSE2__)
    #include <emmintrin.h>
    #endif
    static Py_ssize_t repair_quote_mark_1(const uint8_t* s, Py_ssize_t i, Py_ssize_t n) {
    #if defined(__SSE2__)
        const __m128i q = _mm_set1_epi8(0x22), nl = _mm_set1_epi8(0x0a);
        for (; i + 16 <= n; i += 16) {
            __m128i v = _mm_loadu_si128((const __m128i*)(s + i));
            int mask = _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, q), _mm_cmpeq_epi8(v, nl)));
            if (mask) return i + __builtin_ctz(mask);
        }
    #endif
        for (; i < n; i++) if (s[i] == 0x22 || s[i] == 0x0a) return i;
        return n;
    }
    static Py_ssize_t repair_quote_mark_2(const uint16_t* s, Py_ssize_t i, Py_ssize_t n) {
    #if defined(__SSE2__)
        const __m128i q = _mm_set1_epi16(0x22), nl = _mm_set1_epi16(0x0a);
        const __m128i open = _mm_set1_epi16(0x201c), close = _mm_set1_epi16(0x201d);
        for (; i + 8 <= n; i += 8) {
            __m128i v = _mm_loadu_si128((const __m128i*)(s + i));
            __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi16(v, q), _mm_cmpeq_epi16(v, nl)),
                                     _mm_or_si128(_mm_cmpeq_epi16(v, open), _mm_cmpeq_epi16(v, close)));
            int mask = _mm_movemask_epi8(m);
            if (mask) return i + (__builtin_ctz(mask) >> 1);
        }
    #endif
        for (; i < n; i++) {
            uint16_t c = s[i];
            if (c == 0x22 || c == 0x0a || c == 0x201c || c == 0x201d) return i;
        }
        return n;
    }
    """
    Py_ssize_t repair_quote_mark_1(const uint8_t* s, Py_ssize_t i, Py_ssize_t n) nogil
    Py_ssize_t repair_quote_mark_2(const uint16_t* s, Py_ssize_t i, Py_ssize_t n) nogil


cdef Py_ssize_t _quote_mark(Text* t, Py_ssize_t i) noexcept nogil:
    """The first position from ``i`` that holds \u201c, \u201d, a straight double quote or a
    line break (``t.n`` where none does), read in the text's own width of code points."""
    if t.kind == 1:  # (no curly quotation mark fits in Latin-1)
        return repair_quote_mark_1(<const uint8_t*>t.data, i, t.n)
    if t.kind == 2:
        return repair_quote_mark_2(<const uint16_t*>t.data, i, t.n)
    return _quote_mark_in(<const Py_UCS4*>t.data, i, t.n)


cdef Py_ssize_t _quote_mark_in(const Py_UCS4* s, Py_ssize_t i, Py_ssize_t n) noexcept nogil:
    cdef uint32_t c
    while i < n:
        c = s[i]
        if c == 34 or c == 10 or c == 0x201c or c == 0x201d:
            return i
        i += 1
    return n


cdef Py_UCS4 _widest(Text* t, Py_ssize_t a, Py_ssize_t b) noexcept nogil:
    """The widest class of character in ``[a, b)`` as PyUnicode_New takes it: 127 (ASCII),
    255, 0xFFFF or 0x10FFFF."""
    if t.kind == 1:
        return _widest_in(<const uint8_t*>t.data, a, b, 255)
    if t.kind == 2:
        return _widest_in(<const uint16_t*>t.data, a, b, 0xFFFF)
    return _widest_in(<const Py_UCS4*>t.data, a, b, 0x10FFFF)


cdef Py_UCS4 _widest_in(const char_t* s, Py_ssize_t a, Py_ssize_t b, Py_UCS4 limit) noexcept nogil:
    cdef uint32_t c, top = 0
    cdef Py_ssize_t i
    for i in range(a, b):
        c = s[i]
        if c > top:
            top = c
            if top > 0xFFFF or (top > 255 and limit == 0xFFFF) or (top > 127 and limit == 255):
                break  # nothing in this text is wider
    return 127 if top < 128 else 255 if top < 256 else 0xFFFF if top < 0x10000 else 0x10FFFF


cdef void _copy(int okind, void* odata, Py_ssize_t k, int skind, const void* sdata, Py_ssize_t s,
                Py_ssize_t n) noexcept nogil:
    """Copy ``n`` code points from position ``s`` of one string's data to position ``k`` of a
    new string's (each with its kind; the new string holds every one of them: see apply)."""
    cdef Py_ssize_t i
    if okind == skind:  # ASCII and Latin-1 alike are one byte a code point
        memcpy(<char*>odata + k * okind, <const char*>sdata + s * skind, n * okind)
        return
    for i in range(n):
        PyUnicode_WRITE(okind, odata, k + i, PyUnicode_READ(skind, <void*>sdata, s + i))


cdef int _by_span(const void* a, const void* b) noexcept nogil:
    """qsort order of (start, end) spans."""
    cdef const Cand* x = <const Cand*>a
    cdef const Cand* y = <const Cand*>b
    if x.start != y.start:
        return -1 if x.start < y.start else 1
    if x.end != y.end:
        return -1 if x.end < y.end else 1
    return 0


cdef inline Py_UCS4 at(Text* t, Py_ssize_t i) noexcept nogil:
    return PyUnicode_READ(t.kind, t.data, i)


cdef inline bint _isupper(Py_UCS4 c) noexcept:
    """Py_UNICODE_ISUPPER with ASCII read directly (no call into the Unicode tables)."""
    return 65 <= c <= 90 if c < 128 else Py_UNICODE_ISUPPER(c)


cdef inline bint _islower(Py_UCS4 c) noexcept:
    """Py_UNICODE_ISLOWER with ASCII read directly."""
    return 97 <= c <= 122 if c < 128 else Py_UNICODE_ISLOWER(c)


cdef inline bint _isalnum(Py_UCS4 c) noexcept:
    """Py_UNICODE_ISALNUM (str.isalnum) with ASCII from a table."""
    return ASCII_ALNUM[c] if c < 128 else Py_UNICODE_ISALNUM(c)


cdef inline bint is_word(Py_UCS4 c) except -1:
    """matcher.is_word_char: letters, digits, underscore and combining marks."""
    if c < 128:
        return ASCII_WORD[c]
    return _code_point(c) & CP_WORD


cdef inline bint _joiner(Py_UCS4 c) noexcept:
    """What context._NEXT/_PREV let a token go on through: ``[-'’.]``."""
    return c == 45 or c == 39 or c == 46 or c == 0x2019


def token_class(str ch):
    """Test hook: 1 where the native token readers take ``ch`` for \\w, | 2 for \\s, as the
    regex module that context's token readers use says (ASCII from tables)."""
    cdef Py_UCS4 c = ord(ch)
    return (1 if _tok_word(c) else 0) | (2 if _tok_space(c) else 0)


cdef inline bint _tok_word(Py_UCS4 c) except -1:
    return ASCII_WORD[c] if c < 128 else _code_point(c) & TC_WORD


cdef inline bint _tok_space(Py_UCS4 c) except -1:
    return ASCII_SPACE[c] if c < 128 else _code_point(c) & TC_SPACE


cdef int next_tok(Text* t, Py_ssize_t end, Py_ssize_t* a, Py_ssize_t* b) except -1:
    """context.next_token: ``\\s*(\\w+(?:[-'’.]\\w+)*|\\S)`` read at ``end``; TOK_OK with the
    token's span in ``a``, ``b``, or TOK_NONE at the end of the text."""
    cdef Py_ssize_t i = end, j, n = t.n
    cdef Py_UCS4 c = 0
    while i < n:
        c = at(t, i)
        if not _tok_space(c):
            break
        i += 1
    if i == n:
        return TOK_NONE
    a[0] = i
    if not _tok_word(c):
        b[0] = i + 1
        return TOK_OK
    j = i
    while True:
        while j < n and _tok_word(at(t, j)):
            j += 1
        if j + 1 < n and _joiner(at(t, j)) and _tok_word(at(t, j + 1)):
            j += 1
            continue
        break
    b[0] = j
    return TOK_OK


cdef int prev_tok(Text* t, Py_ssize_t start, Py_ssize_t* a, Py_ssize_t* b) except -1:
    """context.prev_token: the same token read backwards from ``start``."""
    cdef Py_ssize_t i = start, k
    cdef Py_UCS4 c = 0
    while i > 0:
        c = at(t, i - 1)
        if not _tok_space(c):
            break
        i -= 1
    if i == 0:
        return TOK_NONE
    b[0] = i
    if not _tok_word(c):
        a[0] = i - 1
        return TOK_OK
    k = i
    while True:
        while k > 0 and _tok_word(at(t, k - 1)):
            k -= 1
        if k > 1 and _joiner(at(t, k - 1)) and _tok_word(at(t, k - 2)):
            k -= 1
            continue
        break
    a[0] = k
    return TOK_OK


@cython.final
cdef class _Side:
    """The token on one side of a candidate, read at most once for all its pattern's rules."""
    cdef int state       # UNREAD, TOK_OK or TOK_NONE
    cdef Py_ssize_t a, b # the token's span in the text
    cdef object token    # the token casefolded (as WordSet.contains compares); an ASCII one made on need (Core._token)
    cdef bint wide       # the token holds a character that is not ASCII
    cdef Py_UCS4 first   # the token's first character as written
    cdef int word        # an ASCII token: its number in Core.vocab (-1: none there)
    cdef int bigram      # an ASCII token: its number in the bigram tables (-1: none there, -2: not looked up)


ctypedef struct Bigram:
    uint64_t key     # (first word + 1) << 32 | (second word + 1); 0: an empty slot
    double count     # the key and its count in one cache line


ctypedef struct WordSlot:
    uint64_t packed  # the word's first eight letters, one byte each
    uint32_t tag     # the hash's high half, odd (0: an empty slot)
    int32_t size     # the word's length
    int32_t off      # its offset in _Words.blob
    int32_t place    # its place in the list


@cython.final
cdef class _Words:
    """Words numbered by their place in a list, those that are ASCII and in lower case (the
    only ones an ASCII token read in lower case can be) in an open-addressing table keyed by a
    hash of their letters: the core finds a token's number in the text itself, capitals read
    as small ones, with no string built and no dict asked. A word listed twice: its last place.
    A slot holds a word's first eight letters and length, so a lookup of a word of up to eight
    letters reads one slot (perf: a second array had been a second cache miss a lookup)."""
    cdef bytes blob       # the words held, one after another
    cdef WordSlot* slots
    cdef uint64_t mask

    def __cinit__(self, list words):
        cdef Py_ssize_t i, n = len(words), cap, o = 0, k, m
        cdef uint64_t h, slot, packed
        cdef uint32_t tag
        cdef const unsigned char* b
        cdef WordSlot* w
        self.slots = NULL
        joined = "".join(words)
        if joined.isascii() and joined == joined.lower():
            places = None  # every word held (the bigram tables' case: one check over all)
        else:
            places = [i for i in range(n) if (<str>words[i]).isascii() and words[i] == (<str>words[i]).lower()]
            words = [words[i] for i in places]
            joined = "".join(words)
            n = len(places)
        lens = [len(<str>x) for x in words]
        self.blob = joined.encode("ascii")
        b = self.blob
        cap = 16
        while cap < 2 * n + 2:
            cap *= 2
        self.mask = cap - 1
        self.slots = <WordSlot*>malloc(sizeof(WordSlot) * cap)
        if self.slots == NULL:
            raise MemoryError()
        for i in range(cap):
            self.slots[i].tag = 0
        for i in range(n):
            m = <Py_ssize_t>lens[i]
            h = _ascii_hash(b + o, m)
            packed = _packed(b + o, m)
            tag = <uint32_t>(h >> 32) | 1
            slot = h & self.mask
            while self.slots[slot].tag != 0:
                w = &self.slots[slot]
                if w.tag == tag and w.size == m and w.packed == packed:
                    for k in range(8, m):
                        if b[w.off + k] != b[o + k]:
                            break
                    else:
                        break  # listed again: its later place
                slot = (slot + 1) & self.mask
            w = &self.slots[slot]
            w.packed, w.tag, w.size, w.off = packed, tag, m, o
            w.place = i if places is None else <int>places[i]
            o += m

    def __dealloc__(self):
        free(self.slots)

    cdef int find(self, Text* t, Py_ssize_t a, Py_ssize_t b) noexcept:
        """The place of ``text[a:b]`` read in lower case (every character ASCII), -1 where it
        is not held."""
        cdef Py_ssize_t i, k, n = b - a
        cdef uint64_t h = 0xcbf29ce484222325ULL, slot, packed = 0
        cdef uint32_t c, tag
        cdef const unsigned char* word
        cdef WordSlot* w
        for i in range(a, b):
            c = at(t, i)
            if 65 <= c <= 90:
                c += 32
            h = (h ^ c) * 0x100000001b3ULL
            if i - a < 8:
                packed |= (<uint64_t>c) << (8 * (i - a))
        h = _mix(h) | 1
        tag = <uint32_t>(h >> 32) | 1
        slot = h & self.mask
        while self.slots[slot].tag != 0:
            w = &self.slots[slot]
            if w.tag == tag and w.size == n and w.packed == packed:
                word = (<const unsigned char*>self.blob) + w.off
                for k in range(8, n):
                    c = at(t, a + k)
                    if 65 <= c <= 90:
                        c += 32
                    if c != word[k]:
                        break
                else:
                    return w.place
            slot = (slot + 1) & self.mask
        return -1


cdef inline uint64_t _packed(const unsigned char* w, Py_ssize_t n) noexcept:
    """A word's first eight letters, one byte each (as _Words.find packs them)."""
    cdef Py_ssize_t i
    cdef uint64_t p = 0
    for i in range(n if n < 8 else 8):
        p |= (<uint64_t>w[i]) << (8 * i)
    return p


def word_number(list words, str word):
    """Test hook: what _Words(words) finds for ``word`` (ASCII, capitals read as small ones),
    to hold it equal to ``{w: i for i, w in enumerate(words)}.get(word.lower())``."""
    cdef Text t
    cdef _Words held = _Words(words)
    t.kind, t.data, t.n = PyUnicode_KIND(word), PyUnicode_DATA(word), len(word)
    return held.find(&t, 0, t.n)


cdef inline uint64_t _ascii_hash(const unsigned char* w, Py_ssize_t n) noexcept:
    """_Words.find's hash of a word held in lower case."""
    cdef Py_ssize_t i
    cdef uint64_t h = 0xcbf29ce484222325ULL
    for i in range(n):
        h = (h ^ w[i]) * 0x100000001b3ULL
    return _mix(h) | 1


cdef inline bint _pair_held(const uint64_t* keys, uint64_t mask, uint64_t key) noexcept:
    """Is ``key`` (never 0) in an open-addressing set of 64-bit keys?"""
    cdef uint64_t h = _mix(key) & mask
    while keys[h] != 0:
        if keys[h] == key:
            return True
        h = (h + 1) & mask
    return False


ctypedef struct Segment:
    uint64_t h      # the segment's hash (_step over its classes)
    int32_t node    # the trie node after it
    int32_t length  # its length in classes (0: an empty slot)


DEF SEG_EXACT = 8   # up to eight classes a segment's hash and length name it exactly (_step)


ctypedef struct Node:
    int32_t first   # first child (a dense node: its row in Core.dense)
    uint8_t nk      # number of children | DENSE | TERMINAL
    uint8_t cls     # character class of the edge into the node


@cython.final
cdef class Core:
    """Trie over folded patterns plus compiled context rules, built once per Repairer."""

    # trie
    cdef int32_t* root       # [nclasses] child of the root per character class, -1 for none
    # nodes, numbered depth first by blocks (each node's children are consecutive nodes)
    cdef Node* nodes
    cdef int32_t* nterm      # pattern ending at the node (when TERMINAL)
    cdef int32_t* dense      # full rows (child per class) of the nodes with many children
    cdef uint8_t* cword      # per class: does it stand for a word character?
    cdef uint8_t ascii_seg[128]  # per ASCII character: its class if it continues a segment, else 0
    cdef uint8_t* bloom      # bit filter of the patterns' first words (hashes of their classes)
    cdef int bloom_shift
    cdef Segment* segs       # open addressing: the patterns' first words of up to SEG_EXACT classes
    cdef int seg_shift
    cdef uint64_t seg_mask
    cdef uint8_t* nbloom     # the same for fuzzy names' spun words (set_names)
    cdef int nbloom_shift
    cdef readonly bint names_on
    cdef int nclasses
    cdef uint8_t ascii_cls[128]
    cdef Py_UCS4* wide       # non-ASCII folded characters of the patterns, sorted
    cdef uint8_t* wide_cls
    cdef int nwide
    cdef readonly int split  # pattern numbers from here on are late
    # rules, per pattern: rfirst[p] .. rfirst[p + 1]
    cdef int32_t* rfirst
    cdef uint8_t* rlate
    cdef uint8_t* rempty
    cdef int32_t* rctx
    cdef int32_t* rpat       # per rule: its pattern (the entries' spun phrase, lowercased)
    cdef list rentry, rcanon, rspun
    cdef list rcase          # per rule: {matched text: does its case clause hold}
    cdef uint8_t* late_pattern
    # contexts
    cdef uint8_t* xcase
    cdef int32_t* xside      # 4 per context: after, not_after, before, not_before word sets (-1)
    cdef uint8_t* xpython    # context asked of Python as a whole (doc-has)
    cdef uint8_t* xplaus
    cdef list xobj, xmargin
    cdef list xdoc           # per context: its doc-has group (distinct ASCII phrase lists), -1 none or not ASCII
    cdef list docphrases     # per doc-has group: its phrases as ASCII bytes
    cdef bytes dh_blob       # every doc-has group's ASCII phrases, one after another
    cdef int32_t* dh_start   # per phrase: its offset in dh_blob
    cdef int32_t* dh_len     # per phrase: its length
    cdef int32_t* dh_order   # phrase numbers, by group and then by first character
    cdef int32_t* dh_bucket  # 129 per group: where each first character's phrases begin in dh_order
    # word sets
    cdef list wwords, wprefixes, wobj
    cdef uint8_t* wbits
    cdef _Words vocab        # the word sets' words
    cdef uint64_t* wpairs    # open addressing: (word set + 1) << 32 | (vocab number + 1); 0 empty
    cdef uint64_t wpmask
    cdef _Words bigram_words # the bigram tables' words by their numbers (filled with the tables)
    # junction plans (set_junctions): the edge words of restored phrases, junctions' _NOTHING,
    # the ASCII punctuation _checks strips from a word, whether "" is an edge word, its MEMO
    cdef _Words jwords
    cdef object jnothing
    cdef bint jempty, jwide  # jwide: an edge word is not ASCII
    cdef Py_ssize_t jmemo
    # Python helpers
    cdef object hit_type, plausible_words
    cdef object tables, tabs  # tables: plausibility.numbered
    cdef double total, backoff, prior_ratio
    cdef dict phrase_ends    # phrase: (first word, last word, their word numbers), lower case
    # the bigram tables by word number, filled with them: no string is built to look a pair up
    cdef dict word_id        # every word of the unigram table or of a bigram: its number
    cdef double* ucount      # per word number: its unigram count (1.0 where the table has none)
    cdef Bigram* bigrams     # open addressing: key (first + 1) << 32 | (second + 1), 0 empty
    cdef uint64_t bmask
    # what the edit loop needs, per rule (set by set_edits)
    cdef uint8_t* rkind      # RULE_PROTECT, RULE_STRONG or RULE_WEAK
    cdef uint8_t* rapplies   # tier written by the config and confidence high enough
    cdef uint8_t* rchosen    # plausibility may choose: the reason names the chosen candidate
    cdef uint8_t* rcertain
    cdef list rorigin, rtier, rconf, rcat, rkey, revidence
    cdef list rreason        # per rule: the reason of its applied edits (strong, no plausibility), once made
    cdef dict chosen_reasons # (rule, chosen candidate): reason (a weak rule's: up to the score)
    cdef list rweak          # per weak rule: the reason of its applied edits at the score rweak_score
    cdef list rweak_head     # per rule: its reason up to the score (made on first need)
    cdef double* rweak_score
    cdef list rrepl          # per rule: {text as written: its replacement}, for rules with one canonical
    cdef object evidence_type
    # scoring.spin_score's constants and the config's verdict (set_scoring)
    cdef double certain_weight, corroboration, short_certain, weak_baseline, weak_scale, threshold
    cdef int corroborated, min_words
    cdef bint assume_spun, scoring_set
    cdef object edit_type, replacement, reason, may_hold_headline, in_caps_run
    cdef object suggestion
    # same-document consistency (set_consistency): per pattern (entries, canonical, vetoes as
    # (after!=, before!=) word set numbers), the plan's keys, and per (pattern, spelling) the
    # entry whose case clause holds (-1: none), asked of the Python code once
    cdef dict crules, ckeys, ccase
    cdef bytes cflags
    cdef int max_left

    def __cinit__(self):
        self.root = self.nterm = self.dense = NULL
        self.nodes = NULL
        self.cword = self.bloom = self.nbloom = NULL
        self.segs = NULL
        self.names_on = False
        self.wide = NULL
        self.wide_cls = NULL
        self.rfirst = self.rctx = self.rpat = self.xside = NULL
        self.rlate = self.rempty = self.late_pattern = self.xcase = self.xpython = self.xplaus = NULL
        self.wbits = NULL
        self.rkind = self.rapplies = self.rchosen = self.rcertain = NULL
        self.rweak_score = NULL
        self.dh_start = self.dh_len = self.dh_order = self.dh_bucket = NULL
        self.ucount = NULL
        self.bigrams = NULL
        self.wpairs = NULL

    def __dealloc__(self):
        free(self.cword); free(self.bloom); free(self.nbloom); free(self.segs)
        free(self.root); free(self.nodes); free(self.nterm); free(self.dense)
        free(self.wide); free(self.wide_cls); free(self.rfirst); free(self.rlate)
        free(self.rempty); free(self.rctx); free(self.rpat); free(self.late_pattern); free(self.xcase)
        free(self.xside); free(self.xpython); free(self.xplaus); free(self.wbits)
        free(self.rkind); free(self.rapplies); free(self.rchosen); free(self.rcertain)
        free(self.rweak_score)
        free(self.dh_start); free(self.dh_len); free(self.dh_order); free(self.dh_bucket)
        free(self.ucount); free(self.bigrams)
        free(self.wpairs)

    def __init__(self, patterns, int split, rules=None, helpers=None):
        """``patterns``: folded, distinct (as ``Matcher.patterns``); ``split``: the first late
        pattern number; ``rules``: per pattern, its (entry, context, late, empty) rules (needed
        for :meth:`document`'s passes); ``helpers``: (hit type, plausibility words,
        plausibility.numbered, BACKOFF, PRIOR_RATIO).
        ``patterns`` must be a list."""
        self.split = split
        self._build_trie(patterns)
        if rules is not None:
            self._build_rules(rules)
            (self.hit_type, self.plausible_words, self.tables, self.backoff, self.prior_ratio) = helpers
            self.tabs = None
            self.phrase_ends = {}

    # -- trie ----------------------------------------------------------------------------------

    cdef void* _alloc(self, size_t size) except NULL:
        cdef void* p = malloc(size if size else 1)
        if p == NULL:
            raise MemoryError()
        return p

    def _build_trie(self, list patterns):
        cdef str p, prev
        cdef Py_UCS4 ch
        alphabet = sorted(set().union(*patterns)) if patterns else []
        if len(alphabet) > 254:
            raise NotImplementedError("too many distinct characters in the patterns for the native core")
        if any(c in alphabet for c in "\u03c3\u03c2\x00"):
            raise NotImplementedError("patterns hold a character whose folding depends on context")
        if any(not p for p in patterns):
            raise NotImplementedError("empty pattern")
        cdef int i, k
        self.nclasses = len(alphabet) + 1  # class 0: no pattern holds the character
        for i in range(128):
            self.ascii_cls[i] = 0
        wide = [(ord(c), k + 1) for k, c in enumerate(alphabet) if ord(c) >= 128]
        for k, c in enumerate(alphabet):
            if ord(c) < 128:
                self.ascii_cls[ord(c)] = k + 1
        for i in range(65, 91):  # fold: lower-case; a line break or tab reads as a space
            self.ascii_cls[i] = self.ascii_cls[i + 32]
        self.ascii_cls[9] = self.ascii_cls[10] = self.ascii_cls[32]
        self.nwide = len(wide)
        self.wide = <Py_UCS4*>self._alloc(sizeof(Py_UCS4) * self.nwide)
        self.wide_cls = <uint8_t*>self._alloc(self.nwide)
        for i in range(self.nwide):
            self.wide[i] = wide[i][0]
            self.wide_cls[i] = wide[i][1]
        self._build_filter(patterns, alphabet)
        order = sorted(range(len(patterns)), key=patterns.__getitem__)
        cdef Py_ssize_t total = 1 + sum(len(p) for p in patterns)
        cdef int32_t* term = <int32_t*>self._alloc(sizeof(int32_t) * total)
        cdef int32_t* first = NULL
        cdef int32_t* kids = NULL
        cdef int32_t* order_ = NULL
        cdef int32_t* newpos = NULL
        cdef int32_t* kfirst = NULL
        cdef Py_ssize_t top
        cdef uint8_t* nkids = NULL
        cdef int j, old, rows
        cdef int32_t* parent = <int32_t*>self._alloc(sizeof(int32_t) * total)
        cdef uint8_t* pcls = <uint8_t*>self._alloc(total)
        cdef int32_t* path = <int32_t*>self._alloc(sizeof(int32_t) * (1 + max(len(p) for p in patterns)))
        cdef int nn = 1, depth, lcp, plen
        term[0] = -1
        parent[0] = -1
        path[0] = 0
        prev = ""
        try:
            for idx in order:
                p = patterns[idx]
                plen = len(p)
                lcp = 0
                while lcp < plen and lcp < len(prev) and p[lcp] == prev[lcp]:
                    lcp += 1
                for depth in range(lcp, plen):
                    parent[nn] = path[depth]
                    pcls[nn] = self.cls_of(p[depth])
                    term[nn] = -1
                    path[depth + 1] = nn
                    nn += 1
                if term[path[plen]] >= 0:
                    raise ValueError("patterns must be distinct after case folding")
                term[path[plen]] = idx
                prev = p
            first = <int32_t*>self._alloc(sizeof(int32_t) * (nn + 1))
            nkids = <uint8_t*>self._alloc(nn)
            kids = <int32_t*>self._alloc(sizeof(int32_t) * nn)
            order_ = <int32_t*>self._alloc(sizeof(int32_t) * nn)
            for i in range(nn):
                nkids[i] = 0
            for i in range(1, nn):
                nkids[parent[i]] += 1
            k = 0
            for i in range(nn):
                first[i] = k
                k += nkids[i]
                nkids[i] = 0
            for i in range(1, nn):  # preorder of sorted patterns: children arrive sorted by class
                k = first[parent[i]] + nkids[parent[i]]
                kids[k] = i
                nkids[parent[i]] += 1
            # numbering, depth first by blocks: each node's children are consecutive nodes,
            # numbered when their parent is reached, and the first child's subtree comes next,
            # so that a chain of single children (the tail of most phrases) lies in consecutive
            # nodes and a walk along it reads one cache line per eight steps
            # (order_: the stack of nodes whose children are still to be numbered; kfirst: per
            # old node, the new number of its first child; newpos: per old node, its number)
            newpos = <int32_t*>self._alloc(sizeof(int32_t) * nn)
            kfirst = <int32_t*>self._alloc(sizeof(int32_t) * nn)
            newpos[0] = 0
            k = 1
            top = 0
            order_[top] = 0
            top = 1
            while top > 0:
                top -= 1
                old = order_[top]
                kfirst[old] = k
                for j in range(nkids[old]):
                    newpos[kids[first[old] + j]] = k + j
                k += nkids[old]
                for j in range(nkids[old] - 1, -1, -1):
                    order_[top] = kids[first[old] + j]
                    top += 1
            # eight bytes per node: a node's children are consecutive, so the step that finds a
            # child among them has loaded the child's own first-child and count as well; the
            # high bit of nk marks a node where a pattern ends
            self.nodes = <Node*>self._alloc(sizeof(Node) * nn)
            self.nterm = <int32_t*>self._alloc(sizeof(int32_t) * nn)
            rows = 0
            for old in range(nn):
                i = newpos[old]
                self.nterm[i] = term[old]
                self.nodes[i].cls = pcls[old] if old else 0
                self.nodes[i].first = kfirst[old]
                if nkids[old] >= DENSE_KIDS:  # many children: a full row, one load per step
                    self.nodes[i].nk = DENSE
                    rows += 1
                else:
                    self.nodes[i].nk = nkids[old]
                if term[old] >= 0:
                    self.nodes[i].nk |= TERMINAL
            self.dense = <int32_t*>self._alloc(sizeof(int32_t) * self.nclasses * rows)
            for i in range(self.nclasses * rows):
                self.dense[i] = -1
            rows = 0
            for old in range(nn):
                i = newpos[old]
                if self.nodes[i].nk & DENSE:
                    for j in range(kfirst[old], kfirst[old] + nkids[old]):
                        self.dense[rows * self.nclasses + self.nodes[j].cls] = j
                    self.nodes[i].first = rows * self.nclasses  # a dense node's first: its row
                    rows += 1
            self.root = <int32_t*>self._alloc(sizeof(int32_t) * self.nclasses)
            for i in range(self.nclasses):
                self.root[i] = -1
            for j in range(1, 1 + nkids[0]):
                self.root[self.nodes[j].cls] = j
            self._build_segments(patterns)
        finally:
            free(parent)
            free(pcls)
            free(path)
            free(term)
            free(first)
            free(nkids)
            free(kids)
            free(order_)
            free(newpos)
            free(kfirst)

    def _build_filter(self, list patterns, alphabet):
        """The segment filter of :func:`_find`: per pattern that starts with a word character,
        the hash of its first segment (one segment) or of its first two, as one bit of a
        table sized to the patterns."""
        cdef int k, bits = 12
        cdef uint64_t h, first, size
        self.cword = <uint8_t*>self._alloc(self.nclasses)
        self.cword[0] = 0
        for k, c in enumerate(alphabet):
            self.cword[k + 1] = c.isalnum() or c == "_" or unicodedata.category(c)[0] == "M"
        for k in range(128):  # a word character whose class is a word character's
            self.ascii_seg[k] = self.ascii_cls[k] if ASCII_WORD[k] and self.cword[self.ascii_cls[k]] else 0
        while (1 << bits) < 32 * len(patterns) and bits < 22:
            bits += 1
        size = (<uint64_t>1) << bits
        self.bloom_shift = 64 - bits
        self.bloom = <uint8_t*>self._alloc(size // 8)
        for k in range(size // 8):
            self.bloom[k] = 0
        cdef str p
        cdef uint64_t key
        for p in patterns:
            if self._key(p, &key):
                _set_bit(self.bloom, self.bloom_shift, key)

    cdef int _build_segments(self, list patterns) except -1:
        """The trie node after each pattern's first segment of up to SEG_EXACT classes, by the
        segment's hash and length (which name it exactly): a text segment the filter lets
        through starts its walk there, or needs none when no pattern starts with it."""
        cdef dict found = {}
        cdef str p
        cdef Py_UCS4 ch
        cdef int c, length
        cdef int32_t node
        cdef uint64_t h, i, size = 16
        for p in patterns:
            c = self.cls_of(p[0])
            if c == 0 or not self.cword[c]:
                continue  # walked wherever its first character occurs
            node, h, length = self.root[c], _step(HASH_SEED, <uint64_t>c), 1
            for ch in p[1:]:
                c = self.cls_of(ch)
                if c == 0 or not self.cword[c]:
                    break
                node, h, length = self.child(node, c), _step(h, <uint64_t>c), length + 1
                if length > SEG_EXACT:
                    break
            if length <= SEG_EXACT:
                found[(h, length)] = node
        self.seg_shift = 60
        while size < 2 * len(found):
            size *= 2
            self.seg_shift -= 1
        self.seg_mask = size - 1
        self.segs = <Segment*>self._alloc(sizeof(Segment) * size)
        for i in range(size):
            self.segs[i].length = 0
        for (h, length), node in found.items():
            i = (h * HASH_MIX) >> self.seg_shift
            while self.segs[i].length != 0:
                i = (i + 1) & self.seg_mask
            self.segs[i].h, self.segs[i].node, self.segs[i].length = h, node, length
        return 0

    cdef bint _key(self, str p, uint64_t* key) except -1:
        """A pattern's filter key: the hash of its first segment, or of its first two; False
        when it starts with a non-word character (walked wherever that occurs) or holds a
        character of no class."""
        cdef Py_UCS4 ch
        cdef int k
        cdef uint64_t h = HASH_SEED
        cdef bint inside = False
        segments = []
        for ch in p:
            k = self.cls_of(ch)
            if k == 0:
                return False
            if self.cword[k]:
                h = _step(h, <uint64_t>k)
                inside = True
            elif inside:
                segments.append(h)
                if len(segments) == 2:
                    break
                h = HASH_SEED
                inside = False
            elif not segments:
                return False
        if inside and len(segments) < 2:
            segments.append(h)
        key[0] = segments[0] if len(segments) == 1 else _pair_key(segments[0], segments[1])
        return True

    def set_names(self, list names):
        """From now on, every document's pass also notes where these words (folded) may start,
        written with an ASCII capital (fuzzy names' spun words): :meth:`Document.name_windows`
        then needs no pass of its own. False (and nothing noted) when a word starts with a
        non-word character or holds one no pattern holds: the second pass stays necessary."""
        cdef int bits = 12
        cdef uint64_t key, size
        cdef list keys = []
        cdef str p
        for p in names:
            if not self._key(p, &key):
                return False
            keys.append(key)
        while (1 << bits) < 32 * len(keys) and bits < 22:
            bits += 1
        size = (<uint64_t>1) << bits
        bloom = <uint8_t*>self._alloc(size // 8)
        for k in range(size // 8):
            bloom[k] = 0
        for key in keys:
            _set_bit(bloom, 64 - bits, key)
        free(self.nbloom)
        self.nbloom_shift = 64 - bits
        self.nbloom = bloom
        self.names_on = True
        return True

    cdef inline int cls_of(self, Py_UCS4 c) except -1:
        """The class of the character ``fold`` would turn ``c`` into (0: in no pattern)."""
        cdef int lo, hi, mid
        if c < 128:
            return self.ascii_cls[c]
        if c == 0x2019 or c == 0x2018 or c == 0x2BC:
            return self.ascii_cls[39]
        if c == 0xA0:
            return self.ascii_cls[32]
        if c == 0x130:  # İ: fold sets it aside (its lower() is two characters)
            return 0
        c = Py_UNICODE_TOLOWER(c)
        if c < 128:
            return self.ascii_cls[c]
        lo, hi = 0, self.nwide
        while lo < hi:
            mid = (lo + hi) >> 1
            if self.wide[mid] < c:
                lo = mid + 1
            else:
                hi = mid
        if lo < self.nwide and self.wide[lo] == c:
            return self.wide_cls[lo]
        return 0

    cdef inline int32_t child(self, int32_t node, int c) noexcept nogil:
        cdef const Node* nodes = self.nodes
        cdef uint8_t nk = nodes[node].nk
        cdef int32_t k = nodes[node].first
        cdef int32_t stop = k + (nk & KIDS)
        if nk & DENSE:
            return self.dense[k + c]
        while k < stop:
            if nodes[k].cls >= c:
                return k if nodes[k].cls == c else -1
            k += 1
        return -1

    cdef Py_ssize_t find(self, Text* t, Cand** out, Py_ssize_t* cap, Py_ssize_t* blanks,
                         Marks* marks=NULL) except -1:
        """All whole-word candidates, sorted by start and longest first; returns how many.
        ``marks`` (when names are set) receives where fuzzy names' spun words may be."""
        if t.kind == 1:
            return _find(self, <const uint8_t*>t.data, t.n, out, cap, blanks, marks)
        if t.kind == 2:
            return _find(self, <const uint16_t*>t.data, t.n, out, cap, blanks, marks)
        return _find(self, <const Py_UCS4*>t.data, t.n, out, cap, blanks, marks)

    def evidence(self, dict keys, list edits, list free):
        """Test hook: repair.consistency.evidence(plan, edits, {c[2] for c in free}) with
        ``keys`` the plan's keys, as Document.consistent gathers it (see :func:`_evidence_of`)."""
        return _evidence_of(keys, edits, {(<tuple>c)[2] for c in free})

    def set_consistency(self, plan, int max_left):
        """consistency.Plan (rules, keys, flags) and MAX_LEFT, for :meth:`Document.consistent`.
        Each veto's word sets are this core's own (every entry's context was compiled)."""
        cdef dict index = {id(ws): w for w, ws in enumerate(self.wobj)}
        rules = {}
        for p, (entries, canonical, vetoes) in (<dict>plan.rules).items():
            rules[p] = (entries, canonical, tuple(
                (-1 if after is None else index[id(after)], -1 if before is None else index[id(before)])
                for after, before in vetoes))
        self.crules, self.ckeys, self.cflags, self.max_left = rules, plan.keys, plan.flags, max_left
        self.ccase = {}

    def runs(self, str text, stretches, small):
        """fuzzy.RUN's matches in each of ``stretches`` (see :func:`run_spans`)."""
        return run_spans(text, stretches, small)

    def run_windows(self, str text, small):
        """Where fuzzy.RUN's runs with a known spun word can be: for each pattern occurrence
        written with an ASCII capital first and next to another capitalised word across
        whitespace and the ``small`` words (as a run's words are; ``\\s`` is str.isspace and
        ``\\w`` str.isalnum or "_", as in RUN), the stretch around it that no run can cross
        (bounded by a character no run holds, or by a word with no capital that is not one of
        the ``small`` words), merged; sorted (start, end) pairs."""
        cdef Text t
        t.kind = PyUnicode_KIND(text)
        t.data = PyUnicode_DATA(text)
        t.n = PyUnicode_GET_LENGTH(text)
        cdef Py_ssize_t cap = 64, blanks = 0, n
        cdef Cand* buf = <Cand*>malloc(sizeof(Cand) * cap)
        if buf == NULL:
            raise MemoryError()
        try:
            n = self.find(&t, &buf, &cap, &blanks)
            return _windows(&t, text, buf, n, small)
        finally:
            free(buf)

    def split_candidates(self, str text):
        """Like ``Matcher.split_candidates(text, self.split)``: (early, late) candidate lists."""
        cdef Text t
        t.kind = PyUnicode_KIND(text)
        t.data = PyUnicode_DATA(text)
        t.n = PyUnicode_GET_LENGTH(text)
        cdef Py_ssize_t cap = 256, n, i, blanks = 0
        cdef Cand* buf = <Cand*>malloc(sizeof(Cand) * cap)
        if buf == NULL:
            raise MemoryError()
        try:
            n = self.find(&t, &buf, &cap, &blanks)
            early, late = [], []
            for i in range(n):
                (early if buf[i].pat < self.split else late).append((buf[i].start, buf[i].end, buf[i].pat))
            return early, late
        finally:
            free(buf)

    # -- rules ---------------------------------------------------------------------------------

    def _build_rules(self, rules):
        ctx_ids = {}
        ws_ids = {}
        self.xobj, self.xmargin = [], []
        self.xdoc, self.docphrases = [], []
        doc_groups = {}
        self.wwords, self.wprefixes, self.wobj = [], [], []
        self.rentry, self.rcanon, self.rspun = [], [], []
        nrules = sum(len(r) for r in rules)
        self.rcase = [{} for _ in range(nrules)]
        self.rfirst = <int32_t*>self._alloc(sizeof(int32_t) * (len(rules) + 1))
        self.rlate = <uint8_t*>self._alloc(nrules)
        self.rempty = <uint8_t*>self._alloc(nrules)
        self.rctx = <int32_t*>self._alloc(sizeof(int32_t) * nrules)
        self.rpat = <int32_t*>self._alloc(sizeof(int32_t) * nrules)
        self.late_pattern = <uint8_t*>self._alloc(len(rules))
        cdef int r = 0, p
        for p, group in enumerate(rules):
            self.rfirst[p] = r
            self.late_pattern[p] = any(rule[2] for rule in group)
            for entry, ctx, late, empty in group:
                self.rlate[r] = late
                self.rempty[r] = empty
                self.rpat[r] = p
                self.rentry.append(entry)
                self.rcanon.append(entry.canonicals)
                self.rspun.append(entry.spun)
                self.rctx[r] = ctx_ids.setdefault(id(ctx), len(ctx_ids))
                if self.rctx[r] == len(self.xobj):
                    self.xobj.append(ctx)
                r += 1
        self.rfirst[len(rules)] = r
        nx = len(self.xobj)
        self.xcase = <uint8_t*>self._alloc(nx)
        self.xside = <int32_t*>self._alloc(sizeof(int32_t) * 4 * nx)
        self.xpython = <uint8_t*>self._alloc(nx)
        self.xplaus = <uint8_t*>self._alloc(nx)
        wsets = []
        for i, ctx in enumerate(self.xobj):
            self.xcase[i] = CASE_NONE if ctx.case is None else (CASE_LOWER if ctx.lower_only else CASE_OTHER)
            self.xpython[i] = ctx.doc_has is not None
            if ctx.doc_has is not None and all(ph.isascii() for ph in ctx.doc_has):
                self.xdoc.append(doc_groups.setdefault(ctx.doc_has, len(doc_groups)))
                if self.xdoc[i] == len(self.docphrases):
                    self.docphrases.append([ph.encode("ascii") for ph in ctx.doc_has])
            else:
                self.xdoc.append(-1)
            self.xplaus[i] = ctx.plausible is not None
            self.xmargin.append(ctx.plausible)
            for k, ws in enumerate((ctx.after, ctx.not_after, ctx.before, ctx.not_before)):
                if ws is None:
                    self.xside[4 * i + k] = -1
                else:
                    self.xside[4 * i + k] = ws_ids.setdefault(id(ws), len(ws_ids))
                    if self.xside[4 * i + k] == len(wsets):
                        wsets.append(ws)
        self._build_doc_phrases()
        self.wbits = <uint8_t*>self._alloc(len(wsets))
        for i, ws in enumerate(wsets):
            self.wobj.append(ws)
            self.wwords.append(ws.words)
            self.wprefixes.append(ws.prefixes or None)
            classes = ws.classes
            self.wbits[i] = ((W_CAP if "@cap" in classes else 0) | (W_LOWER if "@lower" in classes else 0)
                             | (W_NUM if "@num" in classes else 0) | (W_PUNCT if "@punct" in classes else 0)
                             | (W_NONE if "@none" in classes else 0))
        self._build_word_pairs(wsets)

    cdef _build_word_pairs(self, list wsets):
        """vocab and wpairs: which word set holds which ASCII word, by number."""
        cdef Py_ssize_t i, cap
        cdef uint64_t key, h
        words = sorted({w for ws in wsets for w in ws.words})
        self.vocab = _Words(words)
        number = {w: i for i, w in enumerate(words)}
        keys = [((<uint64_t>(w + 1)) << 32) | <uint64_t>(<int>number[word] + 1)
                for w, ws in enumerate(wsets) for word in ws.words]
        cap = 16
        while cap < 2 * len(keys) + 2:
            cap *= 2
        self.wpmask = cap - 1
        self.wpairs = <uint64_t*>self._alloc(sizeof(uint64_t) * cap)
        for i in range(cap):
            self.wpairs[i] = 0
        for key in keys:
            h = _mix(key) & self.wpmask
            while self.wpairs[h] != 0 and self.wpairs[h] != key:
                h = (h + 1) & self.wpmask
            self.wpairs[h] = key

    cdef _build_doc_phrases(self):
        """dh_*: the doc-has groups' ASCII phrases in one buffer, filed by group and first
        character, so that a word start meets only the phrases that begin with its letter."""
        cdef Py_ssize_t g, u, k, n = sum(len(<list>ph) for ph in self.docphrases)
        cdef bytearray blob = bytearray()
        self.dh_start = <int32_t*>self._alloc(sizeof(int32_t) * (n + 1))
        self.dh_len = <int32_t*>self._alloc(sizeof(int32_t) * (n + 1))
        self.dh_order = <int32_t*>self._alloc(sizeof(int32_t) * (n + 1))
        self.dh_bucket = <int32_t*>self._alloc(sizeof(int32_t) * 129 * (len(self.docphrases) + 1))
        k = 0
        cdef Py_ssize_t q = 0
        for g, phrases in enumerate(self.docphrases):
            by_first = [[] for _ in range(128)]
            for ph in phrases:
                self.dh_start[k] = len(blob)
                self.dh_len[k] = len(<bytes>ph)
                blob += <bytes>ph
                by_first[(<bytes>ph)[0]].append(k)
                k += 1
            for u in range(128):
                self.dh_bucket[129 * g + u] = q
                for k2 in by_first[u]:
                    self.dh_order[q] = k2
                    q += 1
            self.dh_bucket[129 * g + 128] = q
        self.dh_blob = bytes(blob)

    cdef bint _contains(self, int w, Text* t, str text, _Side side) except -1:
        """WordSet.contains for the token on one side: an ASCII token by its number."""
        cdef Py_UCS4 f
        cdef int bits = self.wbits[w]
        if side.state == TOK_NONE:
            return bits & W_NONE
        if side.wide:
            if side.token in <frozenset>self.wwords[w]:
                return True
        elif side.word >= 0 and _pair_held(self.wpairs, self.wpmask,
                                           ((<uint64_t>(w + 1)) << 32) | <uint64_t>(side.word + 1)):
            return True
        prefixes = self.wprefixes[w]
        if prefixes is not None and self._token(t, text, side).startswith(prefixes):
            return True
        if not bits:
            return False
        f = side.first
        return bool(  # as str.isupper() etc. of the token's first character
            ((bits & W_CAP) and _isupper(f)) or ((bits & W_LOWER) and _islower(f))
            or ((bits & W_NUM) and Py_UNICODE_ISDIGIT(f)) or ((bits & W_PUNCT) and not _isalnum(f))
        )

    cdef _Side _read(self, Text* t, str text, _Side side, bint after, Py_ssize_t s, Py_ssize_t e):
        """The token on one side of ``[s, e)``, read once: an ASCII one is looked up in vocab
        (its string made only where asked, :meth:`_token`), another casefolded at once."""
        cdef Py_ssize_t a = 0, b = 0, i
        if side.state != UNREAD:
            return side
        state = next_tok(t, e, &a, &b) if after else prev_tok(t, s, &a, &b)
        if state == TOK_OK:
            side.a, side.b = a, b
            side.first = at(t, a)
            side.wide = False
            for i in range(a, b):
                if at(t, i) >= 128:
                    side.wide = True
                    break
            if side.wide:
                side.token = _casefold(t, text, a, b)
            else:
                side.token = None
                side.word = self.vocab.find(t, a, b)
                side.bigram = -2
        side.state = state
        return side

    cdef str _token(self, Text* t, str text, _Side side):
        """The token (read, not at the text's edge) casefolded."""
        if side.token is None:
            side.token = _casefold(t, text, side.a, side.b)
        return side.token

    cdef bint _holds(self, int r, Text* t, str text, Py_ssize_t s, Py_ssize_t e,
                     _Side nxt, _Side prv, list folded) except -1:
        """Context.holds for rule ``r``'s context at candidate ``[s, e)``: the same clauses in
        the same order; ``folded`` is the document's [casefold() or None, doc-has answers, does
        a character fold to ASCII (see _doc_has_ascii)]."""
        cdef int w, g, k, x = self.rctx[r]
        cdef Py_UCS4 f
        if self.xcase[x] != CASE_NONE:
            f = at(t, s)
            if self.xcase[x] == CASE_LOWER and _isupper(f):
                return False
            if not (self.xcase[x] == CASE_LOWER and _islower(f)):
                matched = text[s:e]
                cache = <dict>self.rcase[r]  # the same few spellings recur: "Mentioned", "MENTIONED"
                found = cache.get(matched)
                if found is None:
                    found = self.xobj[x].case_matches(matched, self.rspun[r])
                    if len(cache) < 64:
                        cache[matched] = found
                if not found:
                    return False
        w = self.xside[4 * x]
        if w >= 0 and not self._contains(w, t, text, self._read(t, text, nxt, True, s, e)):
            return False
        w = self.xside[4 * x + 1]
        if w >= 0 and self._contains(w, t, text, self._read(t, text, nxt, True, s, e)):
            return False
        w = self.xside[4 * x + 2]
        if w >= 0 and not self._contains(w, t, text, self._read(t, text, prv, False, s, e)):
            return False
        w = self.xside[4 * x + 3]
        if w >= 0 and self._contains(w, t, text, self._read(t, text, prv, False, s, e)):
            return False
        if self.xpython[x]:  # doc-has: answered once per document and list of phrases
            answers = <dict>folded[1]
            g = <int>self.xdoc[x]
            key = x if g < 0 else -1 - g
            found = answers.get(key)
            if found is None:
                if g >= 0 and not folded[2]:  # ASCII phrases, looked for in the text itself
                    k = _doc_has_ascii(t, <const unsigned char*><bytes>self.dh_blob, self.dh_start, self.dh_len,
                                       self.dh_order, self.dh_bucket + 129 * g)
                    if k >= 0:
                        found = k == 1
                    else:
                        folded[2] = True  # a character folds to ASCII: this text is read folded
                if found is None:  # asked of the Python code, over the folded text
                    if folded[0] is None:
                        folded[0] = text.casefold()
                    found = self.xobj[x].doc_has_in(folded[0])
                answers[key] = found
            return found
        return True

    cdef int _entry_for(self, Text* t, str text, Cand* c, bint plausible, list folded, list chosen,
                        _Side nxt, _Side prv) except -2:
        """Repairer._entry_for: the first rule of the candidate's pattern that holds (-1: none);
        ``chosen[0]`` receives the canonicals it writes; ``nxt`` and ``prv`` hold the tokens
        beside the candidate once read."""
        cdef int r, x
        nxt.state = prv.state = UNREAD
        for r in range(self.rfirst[c.pat], self.rfirst[c.pat + 1]):
            if self.rlate[r] and not plausible:
                continue
            if self.rempty[r]:
                chosen[0] = self.rcanon[r]
                return r
            x = self.rctx[r]
            if not self._holds(r, t, text, c.start, c.end, nxt, prv, folded):
                continue
            if not self.xplaus[x]:
                chosen[0] = self.rcanon[r]
                return r
            best = self._best(t, text, c.start, c.end, self.rcanon[r], self.xmargin[x], nxt, prv)
            if best is not None:
                chosen[0] = (best,)
                return r
        return -1

    def set_junctions(self, edges, nothing, str punct, Py_ssize_t memo):
        """junctions.Junctions's edge words (``_edges``), its plan of a span with no checks
        (``_NOTHING``), the punctuation its _checks strips from each word and its MEMO: with
        them, Document.held_at_junctions answers a span none of whose words is an edge word
        itself, as Junctions.plan would, without calling it."""
        if set(punct) != {chr(c) for c in (*range(128), 0x201c, 0x201d, 0x2018, 0x2019, 0xab, 0xbb)
                          if _edge_punct(c)}:
            raise NotImplementedError("edge punctuation the core's junction readers do not know")
        self.jwords = _Words(sorted(edges))
        self.jnothing = nothing
        self.jempty = "" in edges
        self.jwide = any(not (<str>w).isascii() for w in edges)
        self.jmemo = memo

    def edge_free(self, str span):
        """Test hook: :meth:`_edge_free` (set_junctions called)."""
        if self.jwords is None:
            raise RuntimeError("set_junctions was not called")
        return self._edge_free(span)

    cdef bint _edge_free(self, str span) except -1:
        """Is junctions.Junctions._checks(span) () for certain: none of the span's words
        (``span.casefold().split()``, each stripped of the edge punctuation) an edge word? A
        word that keeps a character beyond ASCII is none where every edge word is ASCII; False
        (the Python code decides) where a character folds to ASCII ("\u212a") or is neither
        a space, curly edge punctuation nor a letter, digit or mark."""
        cdef Text t
        cdef Py_ssize_t i = 0, j, a, b, m
        cdef Py_UCS4 c
        cdef bint wide
        t.kind, t.data, t.n = PyUnicode_KIND(span), PyUnicode_DATA(span), PyUnicode_GET_LENGTH(span)
        while True:
            i = _space_end(&t, i, t.n)
            if i >= t.n:
                return True
            j = _ink_end(&t, i, t.n)
            a, b = i, j
            while a < b and _edge_punct(at(&t, a)):
                a += 1
            while b > a and _edge_punct(at(&t, b - 1)):
                b -= 1
            wide = False
            for m in range(a, b):
                c = at(&t, m)
                if c >= 128:
                    if _code_point(c) & FOLD_ASCII or not (_code_point(c) & CP_WORD or _edge_punct(c)):
                        return False
                    wide = True
            if wide:
                if self.jwide:
                    return False  # (its casefold is not ASCII; an edge word that is not could be it)
            elif (self.jempty if a == b else self.jwords.find(&t, a, b) >= 0):
                return False
            i = j

    def set_scoring(self, constants, double threshold, bint assume_spun):
        """scoring.spin_score's constants (CERTAIN_WEIGHT, CORROBORATION, CORROBORATED,
        SHORT_CERTAIN, MIN_WORDS, WEAK_BASELINE, WEAK_SCALE) and the config's threshold and
        assume_spun, for :meth:`Document.verdict`."""
        (self.certain_weight, self.corroboration, self.corroborated, self.short_certain, self.min_words,
         self.weak_baseline, self.weak_scale) = constants
        self.threshold, self.assume_spun, self.scoring_set = threshold, assume_spun, True

    def spin_score(self, int certain_distinct, int weak_hits, int weak_distinct, Py_ssize_t words):
        """scoring.spin_score, the same arithmetic in the same order (for the tests that hold
        the two equal)."""
        return self._spin_score(certain_distinct, weak_hits, weak_distinct, words)

    cdef double _spin_score(self, int certain_distinct, int weak_hits, int weak_distinct, Py_ssize_t words):
        cdef double density = 1000.0 * weak_hits / <double>(words if words > self.min_words else self.min_words)
        cdef double raw = self.certain_weight * certain_distinct, part
        if certain_distinct:
            raw += self.corroboration * (weak_distinct if weak_distinct < self.corroborated else self.corroborated)
            part = 1.0 - <double>words / <double>self.min_words
            raw += self.short_certain * (part if part > 0.0 else 0.0)
        if weak_distinct >= 3:
            part = density - self.weak_baseline
            raw += (part if part > 0.0 else 0.0) / self.weak_scale
        return 1.0 - exp(-raw)

    def set_edits(self, applicable, double min_confidence, weak_tiers, protect, evidence_type, helpers):
        """What Repairer.repair's edit loop asks of each rule, worked out once for a config;
        ``helpers``: (Edit, _replacement, _reason, _may_hold_headline,
        _in_caps_run, suggestion). Called once, by the Repairer that built this core."""
        if self.rkind != NULL:
            raise RuntimeError("set_edits is called once per core")
        n = len(self.rentry)
        self.rkind = <uint8_t*>self._alloc(n)
        self.rapplies = <uint8_t*>self._alloc(n)
        self.rchosen = <uint8_t*>self._alloc(n)
        self.rcertain = <uint8_t*>self._alloc(n)
        self.rorigin, self.rtier, self.rconf, self.rcat = [], [], [], []
        self.rkey, self.revidence = [], []
        self.rreason = [None] * n
        self.rweak = [None] * n
        self.rweak_head = [None] * n
        self.chosen_reasons = {}
        self.rweak_score = <double*>self._alloc(sizeof(double) * n)
        self.rrepl = [{} for _ in range(n)]
        self.evidence_type = evidence_type
        for r, entry in enumerate(self.rentry):
            self.rkind[r] = (RULE_PROTECT if entry.tier == protect
                             else RULE_WEAK if entry.tier in weak_tiers else RULE_STRONG)
            self.rapplies[r] = entry.tier in applicable and entry.confidence >= min_confidence
            self.rchosen[r] = entry.context.plausible is not None
            self.rcertain[r] = entry.tier == "certain"
            self.rkey.append(entry.spun.casefold())
            self.revidence.append((entry.spun, entry.canonical, entry.tier))
            self.rorigin.append(entry.origin)
            self.rtier.append(entry.tier)
            self.rconf.append(entry.confidence)
            self.rcat.append(entry.category)
        (self.edit_type, self.replacement, self.reason,
         self.may_hold_headline, self.in_caps_run, self.suggestion) = helpers

    # -- bigram plausibility (repair.plausibility.best_candidate, same arithmetic in the same order)

    cdef int _bigram_word(self, Text* t, str text, _Side side, bint* has) except -2:
        """plausibility._word of the token on one side by its number in the bigram tables (-1:
        not there; the tables loaded); ``has`` receives whether _word is not None."""
        if side.state == TOK_NONE or not _isalnum(side.first):
            has[0] = False
            return -1
        has[0] = True
        if side.wide:
            return self._id(text[side.a:side.b].lower().replace("\u2019", "'"))
        if side.bigram == -2:
            side.bigram = self.bigram_words.find(t, side.a, side.b)
        return side.bigram

    cdef _load_tables(self):
        """The bigram tables by word number (plausibility.numbered): the words' numbers, their
        unigram counts, and the bigrams in an open-addressing table of this core's own."""
        cdef Py_ssize_t i, n, cap
        cdef uint64_t key, h
        cdef const uint64_t[:] keys
        cdef const double[:] counts, values
        found = self.tables(self.plausible_words)  # (may let another thread run, and load them)
        if self.tabs is not None:
            return
        words, counts, keys, values, self.total = found
        n = len(words)
        self.ucount = <double*>self._alloc(sizeof(double) * (n + 1))
        for i in range(n):
            self.ucount[i] = counts[i]
        cap = 16
        while cap < 2 * keys.shape[0] + 2:
            cap *= 2
        self.bmask = cap - 1
        self.bigrams = <Bigram*>self._alloc(sizeof(Bigram) * cap)
        for i in range(cap):
            self.bigrams[i].key = 0
        for i in range(keys.shape[0]):
            key = keys[i]
            h = _mix(key) & self.bmask
            while self.bigrams[h].key != 0 and self.bigrams[h].key != key:
                h = (h + 1) & self.bmask
            self.bigrams[h].key = key
            self.bigrams[h].count = values[i]
        self.word_id = {w: i for i, w in enumerate(words)}
        self.bigram_words = _Words(list(words))
        self.tabs = True

    cdef inline int _id(self, word) except -2:
        """The word number of a word (a str or None), -1 where the tables do not hold it."""
        if word is None:
            return -1
        found = (<dict>self.word_id).get(word)
        return -1 if found is None else <int>found

    cdef inline double _ucount(self, int w) noexcept:
        """unigrams.get(word, 1.0) by word number."""
        return self.ucount[w] if w >= 0 else 1.0

    cdef tuple _ends(self, str phrase):
        """The first and last words of a phrase, lower-cased, and their word numbers."""
        found = self.phrase_ends.get(phrase)
        if found is None:
            words = phrase.lower().split()
            first, last = words[0], words[len(words) - 1]
            found = self.phrase_ends[phrase] = (first, last, self._id(first), self._id(last))
        return found

    cdef double _pair(self, int a, int b, bint* seen) noexcept:
        """plausibility._pair by word number: the bigram count where the table has one (and it
        is not 0), else the unigrams' product backed off."""
        cdef double count
        cdef uint64_t key, h
        if a >= 0 and b >= 0:
            key = ((<uint64_t>(a + 1)) << 32) | <uint64_t>(b + 1)
            h = _mix(key) & self.bmask
            while self.bigrams[h].key != 0:
                if self.bigrams[h].key == key:
                    if self.bigrams[h].count:
                        seen[0] = True
                        return self.bigrams[h].count
                    break
                h = (h + 1) & self.bmask
        seen[0] = False
        count = self.backoff * self._ucount(a) * self._ucount(b) / self.total
        return count if count > 1e-300 else 1e-300

    cdef bint _span_ends(self, Text* t, Py_ssize_t s, Py_ssize_t e, int* first, int* last) except -1:
        """_ends for the text's ``[s, e)`` read in place, by bigram number: False where it
        holds a character that is not ASCII (then ask _ends)."""
        cdef Py_ssize_t i, j, a, b
        for i in range(s, e):
            if at(t, i) >= 128:
                return False
        a = _space_end(t, s, e)
        b = _space_start(t, e, a)
        if a >= b:
            return False
        j = _ink_end(t, a, b)
        i = _ink_start(t, b, a)
        first[0] = self.bigram_words.find(t, a, j)
        last[0] = first[0] if i == a else self.bigram_words.find(t, i, b)
        return True

    cdef int _sides(self, bint has_prev, int prev, int first, int last, bint has_next, int nxt,
                    double* score, bint* seen) except -1:
        """plausibility._sides: up to two (log-score, seen) terms; returns how many. ``prev``
        and ``nxt``: word numbers of the words beside (-1: not in the tables), where there are
        words beside (``has_prev``, ``has_next``); ``first``, ``last``: the phrase's."""
        cdef int n = 0
        if has_prev:
            score[n] = log(self._pair(prev, first, &seen[n]))
            n += 1
        if has_next:
            score[n] = log(self._pair(last, nxt, &seen[n])) - log(self._ucount(last))
            n += 1
        return n

    cdef object _best(self, Text* t, str text, Py_ssize_t s, Py_ssize_t e, tuple candidates,
                      double margin, _Side nxt, _Side prv):
        """plausibility.best_candidate for the candidate ``[s, e)``."""
        cdef double base[2]
        cdef double sides[2]
        cdef bint base_seen[2]
        cdef bint side_seen[2]
        cdef double best_gain, rarity, diff, gain, total_b
        cdef int nb, ns, k, first = -1, last = -1, pid, nid
        cdef bint any_seen, any_base, has_prev, has_next
        self._read(t, text, prv, False, s, e)
        self._read(t, text, nxt, True, s, e)
        has_prev = prv.state != TOK_NONE and _isalnum(prv.first)
        has_next = nxt.state != TOK_NONE and _isalnum(nxt.first)
        if not has_prev and not has_next:
            return None
        if self.tabs is None:
            self._load_tables()
        pid = self._bigram_word(t, text, prv, &has_prev)
        nid = self._bigram_word(t, text, nxt, &has_next)
        if not self._span_ends(t, s, e, &first, &last):
            ends = self._ends(text[s:e])
            first, last = <int>ends[2], <int>ends[3]
        nb = self._sides(has_prev, pid, first, last, has_next, nid, base, base_seen)
        rarity = self.prior_ratio * self._ucount(first)
        best, best_gain = None, log(margin)
        any_base = False
        total_b = 0.0
        for k in range(nb):
            any_base = any_base or base_seen[k]
        for cand in candidates:
            ends = self._ends(cand)
            ns = self._sides(has_prev, pid, <int>ends[2], <int>ends[3], has_next, nid, sides, side_seen)
            any_seen = False
            for k in range(ns):
                any_seen = any_seen or side_seen[k]
            if any_seen:
                diff = 0.0
                for k in range(ns):
                    if side_seen[k] or base_seen[k]:
                        diff += sides[k] - base[k]
                if diff < 0:
                    continue
            elif any_base or self._ucount(<int>ends[2]) < rarity:
                continue
            gain = 0.0
            for k in range(ns):
                gain += sides[k]
            total_b = 0.0
            for k in range(nb):
                total_b += base[k]
            gain = gain - total_b
            if gain > best_gain:
                best, best_gain = cand, gain
        return best

    def document(self, str text):
        """Find the candidates of ``text`` once; its passes are then asked of the result."""
        return Document(self, text)


@cython.final
cdef class Document:
    """One text's candidates and the first pass's decisions, shared by both passes."""

    cdef Core core
    cdef str text
    cdef Text t
    cdef Cand* cands
    cdef Py_ssize_t ncands, nearly
    cdef int32_t* memo       # per early candidate: rule, -1 none, -2 undecided
    cdef Hit* hits_[2]       # each pass's hits (first: detection; second: with plausibility)
    cdef Py_ssize_t nhits[2]
    cdef list chosen_        # per pass, per hit: the canonicals it writes
    cdef int last            # the pass run last
    cdef readonly Py_ssize_t blanks  # spaces and line breaks
    cdef Marks marks
    cdef readonly bint marked       # the pass noted where fuzzy names' spun words may be
    cdef list folded
    cdef Cand* quotes        # quotation spans (context.quotation_spans), found on first need
    cdef Py_ssize_t nquotes  # how many; -1 before they are looked for
    cdef int quotes_spun     # do the quotations show spins (the first pass's hits)? -1: undecided

    def __cinit__(self, Core core, str text):
        self.cands = NULL
        self.memo = NULL
        self.quotes = NULL
        self.nquotes = self.quotes_spun = -1
        self.hits_[0] = self.hits_[1] = NULL
        self.nhits[0] = self.nhits[1] = 0
        self.last = -1
        self.chosen_ = [None, None]
        self.core = core
        self.text = text
        self.folded = [None, {}, False]
        self.t.kind = PyUnicode_KIND(text)
        self.t.data = PyUnicode_DATA(text)
        self.t.n = PyUnicode_GET_LENGTH(text)
        cdef Py_ssize_t cap = 64 + self.t.n // 64, i, k, n
        self.cands = <Cand*>malloc(sizeof(Cand) * cap)
        if self.cands == NULL:
            raise MemoryError()
        self.blanks = 0
        self.marks.buf = NULL
        self.marks.n = self.marks.cap = 0
        self.marked = core.names_on
        n = self.ncands = core.find(&self.t, &self.cands, &cap, &self.blanks,
                                    &self.marks if self.marked else NULL)
        # early candidates first, then the late ones (each part keeps the text order)
        cdef Cand* part = <Cand*>malloc(sizeof(Cand) * (n + 1))
        if part == NULL:
            raise MemoryError()
        k = 0
        for i in range(n):
            if self.cands[i].pat < core.split:
                part[k] = self.cands[i]
                k += 1
        self.nearly = k
        for i in range(n):
            if self.cands[i].pat >= core.split:
                part[k] = self.cands[i]
                k += 1
        free(self.cands)
        self.cands = part
        self.memo = <int32_t*>malloc(sizeof(int32_t) * (self.nearly + 1))
        if self.memo == NULL:
            raise MemoryError()
        for i in range(self.nearly):
            self.memo[i] = -2

    def __dealloc__(self):
        free(self.cands)
        free(self.memo)
        free(self.quotes)
        free(self.marks.buf)
        free(self.hits_[0])
        free(self.hits_[1])

    @property
    def has_late(self):
        """Does the second (plausibility) pass have anything to decide?"""
        cdef Py_ssize_t i
        if self.ncands > self.nearly:
            return True
        for i in range(self.nearly):
            if self.core.late_pattern[self.cands[i].pat]:
                return True
        return False

    cdef inline Py_ssize_t _words(self) noexcept:
        """scoring.count_words of the text: its spaces and line breaks (counted by the scan),
        and one more where it ends in a word."""
        return self.blanks + (1 if self.t.n and not Py_UNICODE_ISSPACE(at(&self.t, self.t.n - 1)) else 0)

    def settled(self):
        """Repairer._settled for this text: True when a pass over it can make no edit, as its
        early candidates show without one decided (the text cannot be found spun even were each
        a hit of every early rule of its pattern, and none has an early rule outside the likely
        and context tiers that this config applies)."""
        cdef Core core = self.core
        cdef Py_ssize_t i, n = self.nearly
        cdef int r, p, certain = 0, weak = 0, weak_hits = 0
        cdef bint has_weak
        cdef int32_t* pats
        if not core.scoring_set or core.rkind == NULL:
            raise RuntimeError("set_scoring and set_edits were not called")
        if core.assume_spun:
            return False
        pats = <int32_t*>malloc(sizeof(int32_t) * (n + 1))
        if pats == NULL:
            raise MemoryError()
        try:
            for i in range(n):
                p = pats[i] = self.cands[i].pat
                has_weak = False
                for r in range(core.rfirst[p], core.rfirst[p + 1]):
                    if core.rlate[r] or core.rkind[r] == RULE_PROTECT:
                        continue
                    if core.rkind[r] == RULE_WEAK:
                        has_weak = True
                    elif core.rapplies[r]:
                        return False  # it may write in any document
                weak_hits += has_weak
            qsort(pats, n, sizeof(int32_t), _by_int32)  # each pattern's rules counted once
            for i in range(n):
                if i and pats[i] == pats[i - 1]:
                    continue
                for r in range(core.rfirst[pats[i]], core.rfirst[pats[i] + 1]):
                    if not core.rlate[r]:
                        certain += core.rcertain[r]
                        weak += core.rkind[r] == RULE_WEAK
        finally:
            free(pats)
        return core._spin_score(certain, weak_hits, weak, self._words()) < core.threshold

    def run(self, bint plausible):
        """Repairer._hits over the early candidates (first pass) or over all of them (second,
        ``plausible``): leftmost-longest candidates with an applicable rule, kept here (see
        :meth:`spans`); returns how many."""
        cdef Core core = self.core
        cdef Py_ssize_t i = 0, j = self.nearly, pos = 0, k, nh = 0
        cdef Cand* c
        cdef int r
        cdef bint from_early
        cdef list chosen = [None], chosen_list = []
        cdef _Side nxt = _Side.__new__(_Side), prv = _Side.__new__(_Side)
        cdef Py_ssize_t stop_late = self.ncands if plausible else self.nearly
        cdef Hit* out = self.hits_[plausible]
        if out == NULL:
            out = self.hits_[plausible] = <Hit*>malloc(sizeof(Hit) * (stop_late + 1))
            if out == NULL:
                raise MemoryError()
        while i < self.nearly or j < stop_late:
            # merge the two sorted parts: by start, longest first, then pattern
            if j >= stop_late:
                from_early = True
            elif i >= self.nearly:
                from_early = False
            else:
                from_early = _before(&self.cands[i], &self.cands[j])
            if from_early:
                k = i
                i += 1
            else:
                k = j
                j += 1
            c = &self.cands[k]
            if c.start < pos:
                continue
            if from_early and self.memo[k] != -2 and not (plausible and core.late_pattern[c.pat]):
                r = self.memo[k]
                if r >= 0:
                    chosen[0] = core.rcanon[r]
            else:
                r = core._entry_for(&self.t, self.text, c, plausible, self.folded, chosen, nxt, prv)
                if from_early and not (plausible and core.late_pattern[c.pat]):
                    self.memo[k] = r
            if r >= 0:
                out[nh].start = c.start
                out[nh].end = c.end
                out[nh].rule = r
                nh += 1
                chosen_list.append(chosen[0])
                pos = c.end
        self.nhits[plausible] = nh
        self.chosen_[plausible] = chosen_list
        self.last = plausible
        return nh

    def spans(self, bint second=False):
        """A pass's hits as (start, end) pairs: what fuzzy name matching must not overlap."""
        cdef Py_ssize_t i
        cdef Hit* h = self.hits_[second]
        return [(h[i].start, h[i].end) for i in range(self.nhits[second])]

    def free_windows(self, list windows, list edits, bint second=False):
        """fuzzy.free_windows(windows, self.spans(second), edits), read from the pass's hits:
        the windows that overlap no hit but the edits' own and cut through no edit (``edits``
        in text order and disjoint, as the edit loop makes them)."""
        cdef Py_ssize_t ne = len(edits), k, i, lo, hi, mid, start, end
        cdef Py_ssize_t nh = self.nhits[second]
        cdef Hit* h = self.hits_[second]
        cdef bint blocked
        cdef tuple window
        cdef Py_ssize_t* es = _edit_spans(edits)
        cdef Py_ssize_t* ee = es + ne
        out = []
        try:
            for item in windows:
                window = <tuple>item
                start, end = window[0], window[1]
                lo, hi = 0, nh  # the last hit that starts before ``end``
                while lo < hi:
                    mid = (lo + hi) >> 1
                    if h[mid].start <= end - 1:
                        lo = mid + 1
                    else:
                        hi = mid
                i = lo - 1
                blocked = False
                while i >= 0 and h[i].end > start:
                    k = _edit_at(es, ne, h[i].start)
                    if k < 0 or ee[k] != h[i].end:
                        blocked = True  # a hit that is no edit's
                        break
                    i -= 1
                if blocked:
                    continue
                k = _below(es, ne, end) - 1  # the last edit that starts before ``end``
                while k >= 0 and ee[k] > start:
                    if es[k] < start or ee[k] > end:
                        blocked = True  # the window cuts through an edit
                        break
                    k -= 1
                if not blocked:
                    out.append(window)
        finally:
            free(es)
        return out

    def consistent(self, list edits, bint second, int distinct):
        """The same-document step over this pass: consistency.free_candidates, evidence and
        extend in one, read from the pass's hits (``second``: the second pass's). The
        occurrences to rewrite as the document's own edits do, as (start, end, entry,
        canonical, the edit that is the evidence), in text order, or None where there are
        none. ``edits``: the pass's, in text order and disjoint; ``distinct``: the kept-
        quotation test's QUOTES_SPUN_DISTINCT (see :meth:`_kept`)."""
        cdef Core core = self.core
        cdef Py_ssize_t i, k, n = 0, m, nh = self.nhits[second], ne = len(edits), lo, hi, mid
        cdef Py_ssize_t last_end = -1
        cdef Hit* h = self.hits_[second]
        cdef Cand* c
        cdef int x, aw, bw
        cdef tuple rule, veto
        cdef bint vetoed
        cdef _Side nxt, prv
        if core.crules is None:
            raise RuntimeError("set_consistency was not called")
        cdef const unsigned char* flags = <const unsigned char*>(<bytes>core.cflags)
        cdef Py_ssize_t* es = _edit_spans(edits)
        cdef Py_ssize_t* ee = es + ne
        cdef Cand* free_ = <Cand*>malloc(sizeof(Cand) * (self.ncands + 1))
        if free_ == NULL:
            free(es)
            raise MemoryError()
        try:
            patterns = set()
            for i in range(self.ncands):  # consistency.free_candidates
                c = &self.cands[i]
                if not flags[c.pat]:
                    continue
                lo, hi = 0, nh
                while lo < hi:  # the first hit ending after the candidate's start
                    mid = (lo + hi) // 2
                    if h[mid].end <= c.start:
                        lo = mid + 1
                    else:
                        hi = mid
                if lo < nh and h[lo].start < c.end:
                    continue
                free_[n] = c[0]
                n += 1
                patterns.add(c.pat)
            if n == 0:
                return None
            seen = _evidence_of(core.ckeys, edits, patterns)
            if not seen:
                return None
            m = 0
            for i in range(n):
                if free_[i].pat in seen:
                    free_[m] = free_[i]
                    m += 1
            n = m
            left = None  # (with max_left candidates or fewer none is left alone too often)
            if n > core.max_left:
                left = {}
                for i in range(n):
                    left[free_[i].pat] = left.get(free_[i].pat, 0) + 1
            _sort_candidates(free_, n)
            out = []
            nxt, prv = _Side.__new__(_Side), _Side.__new__(_Side)
            for i in range(n):
                c = &free_[i]
                if c.start < last_end or (left is not None and <Py_ssize_t>left[c.pat] > core.max_left * len(
                        <list>seen[c.pat])) or self._kept(c.start, distinct):
                    continue
                k = _below(es, ne, c.end) - 1  # the last edit starting before the candidate's end
                if k >= 0 and ee[k] > c.start:
                    continue
                rule = <tuple>core.crules[c.pat]
                before = self.text[c.start:c.end]
                key = (c.pat, before)
                found = core.ccase.get(key)
                if found is None:  # the first entry whose case clause holds, asked once per spelling
                    found = -1
                    for k, entry in enumerate(<tuple>rule[0]):
                        if entry.context.case_matches(before, entry.spun):
                            found = k
                            break
                    if len(core.ccase) < 4096:
                        core.ccase[key] = found
                x = found
                if x < 0:
                    continue
                vetoed = False
                nxt.state = prv.state = UNREAD
                for item in <tuple>rule[2]:
                    veto = <tuple>item
                    aw, bw = veto[0], veto[1]
                    if (aw >= 0 and core._contains(aw, &self.t, self.text,
                                                   core._read(&self.t, self.text, nxt, True, c.start, c.end))) or (
                            bw >= 0 and core._contains(bw, &self.t, self.text,
                                                       core._read(&self.t, self.text, prv, False, c.start, c.end))):
                        vetoed = True
                        break
                if vetoed:
                    continue
                out.append((c.start, c.end, (<tuple>rule[0])[x], rule[1], (<list>seen[c.pat])[0]))
                last_end = c.end
            return out or None
        finally:
            free(free_)
            free(es)

    def scan_parts(self, bint rows=True):
        """What Repairer._scan counts in the first pass's hits: (distinct certain entries, weak
        hits, distinct weak entries, evidence rows most frequent first, hits of entries that are
        not certain); ``rows`` False: None for the rows (a text-only pass never reads them).
        Counted by sorting the hits' rules, with no dict."""
        cdef Core core = self.core
        cdef Py_ssize_t i, nh = self.nhits[0], m = 0, k, runs = 0
        cdef Hit* h = self.hits_[0]
        cdef int r, n, certain = 0, weak_hits = 0, weak = 0, soft = 0
        cdef RuleAt* seen = <RuleAt*>malloc(sizeof(RuleAt) * (nh + 1))
        if seen == NULL:
            raise MemoryError()
        try:
            for i in range(nh):
                r = h[i].rule
                if core.rkind[r] != RULE_PROTECT:
                    seen[m].rule, seen[m].pos, seen[m].count = r, <int32_t>i, 0
                    m += 1
            if m == 0:
                return 0, 0, 0, (() if rows else None), 0
            qsort(seen, m, sizeof(RuleAt), _by_rule)  # each rule's hits together, first hit first
            k = 0
            while k < m:  # one entry per rule: its first hit and how many
                i = k
                while k < m and seen[k].rule == seen[i].rule:
                    k += 1
                seen[runs].rule, seen[runs].pos, seen[runs].count = seen[i].rule, seen[i].pos, <int32_t>(k - i)
                runs += 1
            for i in range(runs):
                r, n = seen[i].rule, seen[i].count
                if core.rcertain[r]:
                    certain += 1
                else:
                    soft += n
                    if core.rkind[r] == RULE_WEAK:
                        weak += 1
                        weak_hits += n
            if not rows:
                return certain, weak_hits, weak, None, soft
            qsort(seen, runs, sizeof(RuleAt), _by_pos)  # the order the rules were first met
            table = [(-seen[i].count, core.rkey[seen[i].rule], i, seen[i].rule, seen[i].count) for i in range(runs)]
        finally:
            free(seen)
        table.sort()
        evidence_type = core.evidence_type
        return certain, weak_hits, weak, tuple([_evidence(evidence_type, core.revidence[row[3]], row[4],
                                                          core.rorigin[row[3]]) for row in table]), soft

    def verdict(self, bint rows=True):
        """Repairer._native_scan's verdict on the first pass's hits: (spin score rounded to 4
        places, spun, evidence rows or None (see :meth:`scan_parts`), words, hits of entries
        that are not certain); words as scoring.count_words counts them, the score as
        scoring.spin_score computes it and the verdict as Repairer._verdict gives it."""
        cdef Core core = self.core
        if not core.scoring_set:
            raise RuntimeError("set_scoring was not called")
        certain, weak_hits, weak, evidence, soft = self.scan_parts(rows)
        cdef Py_ssize_t words = self._words()
        cdef double score = core._spin_score(certain, weak_hits, weak, words)
        return round(score, 4), core.assume_spun or score >= core.threshold, evidence, words, soft

    def name_windows(self, small):
        """Core.run_windows for this text from what its pass noted (when :attr:`marked`)."""
        return _windows(&self.t, self.text, self.marks.buf, self.marks.n, small)

    def fuzzy_windows(self, small, dict plans, has_swap, plan, Py_ssize_t memo):
        """fuzzy.NameIndex.windows(text, name_windows(small), runs) in one call: the runs of
        capitalised words where the pass noted name words, each looked up in the index's
        ``plans`` (run text: [plan outside a word, plan inside one], or () without a known
        swap), a miss asked of ``has_swap`` and ``plan`` and remembered as windows() does (the
        dict cleared at ``memo`` runs)."""
        cdef Py_ssize_t base, end, a, b
        cdef tuple span
        cdef bint inside
        cdef list out = []
        stretches = _windows(&self.t, self.text, self.marks.buf, self.marks.n, small)
        if not stretches:
            return out
        for item in _run_list(&self.t, self.text, stretches, small):
            span = <tuple>item
            base, end = span[0], span[1]
            run = self.text[base:end]
            both = plans.get(run)
            if both is None:
                both = [None, None] if has_swap(run) else ()
                if len(plans) >= memo:
                    plans.clear()
                plans[run] = both
            if not both:
                continue
            inside = base > 0 and _run_char(at(&self.t, base - 1))  # (fuzzy._WORDISH before it)
            found = (<list>both)[inside]
            if found is None:
                found = (<list>both)[inside] = plan(run, inside)
            for part in <tuple>found:
                a, b = (<tuple>part)[0], (<tuple>part)[1]
                out.append((base + a, base + b, (<tuple>part)[2]))
        return out

    cdef int _find_quotes(self) except -1:
        """context.quotation_spans: curly quotations open at the first \u201c and close at the
        next \u201d, straight ones pair up, a line break ends every open one; overlapping or
        touching spans merge. Sorted and disjoint in ``self.quotes``."""
        cdef Py_ssize_t i, n = self.t.n, k = 0, m, cap = 16, curly = -1, straight = -1
        cdef Py_UCS4 c
        cdef Cand* buf = <Cand*>malloc(sizeof(Cand) * cap)
        if buf == NULL:
            raise MemoryError()
        self.quotes = buf
        i = -1
        while i < n:
            i = _quote_mark(&self.t, i + 1)  # the next quotation mark or line break
            c = at(&self.t, i) if i < n else 10  # the text's end closes what is open, as a line break does
            if c == 0x201c:
                if curly < 0:
                    curly = i
                continue
            if k + 2 > cap:
                cap *= 2
                buf = <Cand*>realloc(self.quotes, sizeof(Cand) * cap)
                if buf == NULL:
                    raise MemoryError()
                self.quotes = buf
            if c == 0x201d:
                if curly >= 0:
                    buf[k].start, buf[k].end = curly, i
                    k += 1
                    curly = -1
            elif c == 34:
                if straight >= 0:
                    buf[k].start, buf[k].end = straight, i
                    k += 1
                    straight = -1
                else:
                    straight = i
            else:
                if curly >= 0:
                    buf[k].start, buf[k].end = curly, i
                    k += 1
                if straight >= 0:
                    buf[k].start, buf[k].end = straight, i
                    k += 1
                curly = straight = -1
        qsort(buf, k, sizeof(Cand), _by_span)
        m = 0
        for i in range(k):  # a straight quotation may lie inside a curly one, or overlap it
            if m and buf[i].start <= buf[m - 1].end:
                if buf[i].end > buf[m - 1].end:
                    buf[m - 1].end = buf[i].end
            else:
                buf[m] = buf[i]
                m += 1
        self.nquotes = m
        return 0

    cdef bint _quoted(self, Py_ssize_t pos) except -1:
        """context.in_quotation: ``start < pos <= end`` for one quotation span."""
        cdef Py_ssize_t lo = 0, hi, mid
        if self.nquotes < 0:
            self._find_quotes()
        hi = self.nquotes
        while lo < hi:  # the first span starting at or after pos
            mid = (lo + hi) // 2
            if self.quotes[mid].start < pos:
                lo = mid + 1
            else:
                hi = mid
        return lo > 0 and pos <= self.quotes[lo - 1].end

    def quotation_spans(self):
        """The quotation spans as context.quotation_spans gives them (for the tests that hold
        the two equal)."""
        cdef Py_ssize_t i
        if self.nquotes < 0:
            self._find_quotes()
        return [(self.quotes[i].start, self.quotes[i].end) for i in range(self.nquotes)]

    def tokens(self, Py_ssize_t pos):
        """The tokens before and after ``pos`` as the core reads them for context clauses, each
        (as written, casefolded) or None at the text's edge (for the tests that hold them equal
        to context.prev_token and next_token)."""
        cdef _Side side
        out = []
        for after in (False, True):
            side = _Side.__new__(_Side)
            side.state = UNREAD
            side = self.core._read(&self.t, self.text, side, after, pos, pos)
            out.append(None if side.state == TOK_NONE else
                       (self.text[side.a:side.b], self.core._token(&self.t, self.text, side)))
        return tuple(out)

    def junction_words(self, Py_ssize_t start, Py_ssize_t end, Py_ssize_t need):
        """(junctions._preceding(text, start, need), junctions._following(text, end, need)) as
        the core reads them (for the tests that hold the two equal)."""
        return self._preceding(start, need), self._following(end, need)

    cdef bint _kept(self, Py_ssize_t pos, int distinct) except -1:
        """repairer._Quotes.kept: is ``pos`` inside a quotation of a document whose quotations
        show no spins (no certain entry and fewer than ``distinct`` distinct phrases among the
        first pass's hits inside quotations)?"""
        cdef Core core = self.core
        cdef Hit* h = self.hits_[0]
        cdef Py_ssize_t i
        cdef int r
        cdef set seen
        if self.quotes_spun == 1 or not self._quoted(pos):
            return False
        if self.quotes_spun < 0:
            self.quotes_spun = 0
            seen = set()
            for i in range(self.nhits[0]):
                r = h[i].rule
                if core.rkind[r] == RULE_PROTECT or not self._quoted(h[i].start):
                    continue
                seen.add(core.rpat[r])
                if core.rcertain[r] or len(seen) >= distinct:
                    self.quotes_spun = 1
                    break
        return not self.quotes_spun

    def edits(self, scan, int quotes_distinct, bint suggest=True):
        """Repairer.repair's edit loop over the last pass's hits: (edits, suggestions).

        The common case (a written entry outside a quotation) and the quotation rule
        (repairer._Quotes, with ``quotes_distinct`` its QUOTES_SPUN_DISTINCT) are worked out
        here; an ALL-CAPS headline and suggestions (none when ``suggest`` is False) are asked
        of the Python code."""
        cdef Core core = self.core
        cdef Py_ssize_t i, s, e
        cdef int r, kind, k
        cdef bint kept, quoted, spun = scan.spun
        cdef list edits = [], suggestions = []
        score = scan.spin_score
        headline = None  # does the text hold 3 ALL-CAPS words? (asked once, if needed)
        weak_tail = None  # the end of a weak rule's reason at this document's score
        cdef double dscore = score
        cdef tuple canonicals
        cdef str text = self.text
        edit_type = core.edit_type
        quoted = (text.find('"') >= 0 or text.find("\u201c") >= 0 or text.find("\u201d") >= 0)
        cdef Hit* h = self.hits_[self.last]
        cdef list chosen = self.chosen_[self.last]
        for i in range(self.nhits[self.last]):
            r = h[i].rule
            kind = core.rkind[r]
            if kind == RULE_PROTECT or (kind == RULE_WEAK and not spun):
                continue
            s = h[i].start
            e = h[i].end
            canonicals = <tuple>chosen[i]
            before = text[s:e]
            kept = False
            if core.rapplies[r] and len(canonicals) == 1:
                if kind == RULE_WEAK and quoted:
                    kept = self._kept(s, quotes_distinct)
                if not kept:
                    if canonicals is core.rcanon[r]:  # the entry's own candidate: cached per rule
                        repl = <dict>core.rrepl[r]
                        after = repl.get(before)
                        if after is None:
                            after = _replace(core, before, canonicals[0])
                            if len(repl) < 64:
                                repl[before] = after
                    else:
                        after = _replace(core, before, canonicals[0])
                    if _beside_capitals(&self.t, s, e) and not before.isupper():
                        # the line around first (read near the edit), then the whole text once
                        k = _caps_run(&self.t, s, e)
                        if (bool(core.in_caps_run(text, s, e)) if k < 0 else k == 1):
                            if headline is None:
                                k = _headline(&self.t)
                                headline = bool(core.may_hold_headline(text)) if k < 0 else k == 1
                            if headline:
                                after = after.upper()  # a spinner wrote a word of an ALL-CAPS headline in title case
                    if after != before:
                        if core.rchosen[r]:  # plausibility chose: the reason names the candidate
                            key = (r, canonicals[0])
                            reason = core.chosen_reasons.get(key)
                            if reason is None:  # a weak rule's: up to the score (as below)
                                reason = core.reason(core.rentry[r], canonicals[0], None,
                                                     "" if kind == RULE_WEAK else "applied")
                                if len(core.chosen_reasons) < 4096:
                                    core.chosen_reasons[key] = reason
                            if kind == RULE_WEAK:
                                if weak_tail is None:
                                    weak_tail = f"spin score {dscore:.2f}; applied"
                                reason = <str>reason + <str>weak_tail
                        elif kind == RULE_WEAK:  # names the score: kept per rule with the score it was made for
                            reason = core.rweak[r]
                            if reason is None or core.rweak_score[r] != dscore:
                                # repairer._reason(entry, None, score, "applied"): the part before the
                                # score once per rule, the score's part once per document
                                head = core.rweak_head[r]
                                if head is None:
                                    head = core.rweak_head[r] = core.reason(core.rentry[r], None, None, "")
                                if weak_tail is None:
                                    weak_tail = f"spin score {dscore:.2f}; applied"
                                reason = core.rweak[r] = <str>head + <str>weak_tail
                                core.rweak_score[r] = dscore
                        else:
                            reason = core.rreason[r]
                            if reason is None:
                                reason = core.rreason[r] = core.reason(core.rentry[r], None, None, "applied")
                        edits.append(_edit(edit_type, s, e, before, after, core.rorigin[r], core.rtier[r],
                                           core.rconf[r], reason, core.rcat[r]))
                    continue
            if not suggest:
                continue
            hit = _hit(core.hit_type, s, e, core.rentry[r], canonicals)
            found = core.suggestion(hit, before, scan, kept)
            if found is not None:
                suggestions.append(found)
        return edits, suggestions

    # -- junctions (repair.junctions.Junctions.meets, the words around read here)

    def held_at_junctions(self, list edits, dict plans, plan):
        """repairer._at_junctions's test of each edit, in order: {index: canonical phrase} of
        the edits that share words with a restored-looking phrase beside them, or None when
        none does. ``plans``/``plan``: Junctions._plans and Junctions.plan (asked on a miss)."""
        cdef dict held = None
        cdef Py_ssize_t k = 0, s, e
        cdef tuple edit, found
        cdef Core core = self.core
        for item in edits:
            edit = <tuple>item
            found = <tuple>plans.get(edit[2])
            if found is None:
                if core.jwords is not None and core._edge_free(<str>edit[2]):
                    found = <tuple>core.jnothing  # (Junctions.plan's answer, remembered as it does)
                    if len(plans) >= core.jmemo:
                        plans.clear()
                    plans[edit[2]] = found
                else:
                    found = <tuple>plan(edit[2])
            if found[0]:
                s = edit[0]
                e = edit[1]
                canon = self._meets(s, e, found)
                if canon is not None:
                    if held is None:
                        held = {}
                    held[k] = canon
            k += 1
        return held

    cdef object _meets(self, Py_ssize_t start, Py_ssize_t end, tuple found):
        """Junctions.meets, the words beside the match read here."""
        checks, heads, longest_after, tails, longest_before = found
        cdef list after = self._following(end, 1) if heads else []
        if after and after[0] in heads:
            if longest_after > 1:
                after = self._following(end, longest_after)
        elif not tails:
            return None
        cdef list before = self._preceding(start, 1) if tails else []
        if before and before[len(before) - 1] in tails:
            if longest_before > 1:
                before = self._preceding(start, longest_before)
        elif not (after and after[0] in heads):
            return None
        cdef tuple rest
        cdef Py_ssize_t n, i
        for check in checks:
            forward, rest, canon = check
            n = len(rest)
            if forward:
                if len(after) >= n and all(after[i] == rest[i] for i in range(n)):
                    return canon
            elif len(before) >= n and all(before[len(before) - n + i] == rest[i] for i in range(n)):
                return canon
        return None

    cdef list _following(self, Py_ssize_t end, Py_ssize_t need):
        """junctions._following, reading only the characters its answer depends on: up to
        ``need`` words after ``end`` (words: what str.split() separates), casefolded,
        punctuation after a word (_TRIM, and then a possessive 's) cut off, stopping at such a
        word or one that starts with _LEAD."""
        cdef list out = []
        cdef Py_ssize_t n = self.t.n, i = end, a, b, c1
        cdef Py_ssize_t limit = end + JUNCTION_SPAN if end + JUNCTION_SPAN < n else n
        cdef Text* t = &self.t
        if end < n and not Py_UNICODE_ISSPACE(at(t, end)):
            return out  # the match ends inside a token ("trade-off"): nothing runs on
        while True:
            while i < limit and Py_UNICODE_ISSPACE(at(t, i)):
                i += 1
            if i >= limit:
                return out
            a = i
            while i < limit and not Py_UNICODE_ISSPACE(at(t, i)):
                i += 1
            b = i
            c1 = b
            while c1 > a and _junction_trim(at(t, c1 - 1)):
                c1 -= 1
            if c1 - a >= 2 and _apostrophe(at(t, c1 - 2)) and _letter_s(at(t, c1 - 1)):
                c1 -= 2  # "Main Reason's": the phrase ends at "Reason"
            out.append(_casefold(t, self.text, a, c1))
            if c1 != b or _junction_lead(at(t, a)) or len(out) >= need:
                return out

    cdef list _preceding(self, Py_ssize_t start, Py_ssize_t need):
        """junctions._preceding, reading back only as far as its answer depends on: up to
        ``need`` words before ``start``, nearest last, back to one that carries punctuation
        before it (_LEAD) or a sentence end after it (_TRIM)."""
        cdef list out = []
        cdef Py_ssize_t i = start, a, b, c0, count = 0
        cdef Py_ssize_t span = 24 * need + 24
        cdef Text* t = &self.t
        if span > JUNCTION_SPAN:
            span = JUNCTION_SPAN
        cdef Py_ssize_t lo = start - span if start > span else 0
        if start > 0 and not Py_UNICODE_ISSPACE(at(t, start - 1)):
            return out
        while count < need + 1:
            while i > lo and Py_UNICODE_ISSPACE(at(t, i - 1)):
                i -= 1
            if i <= lo:
                break
            b = i
            while i > lo and not Py_UNICODE_ISSPACE(at(t, i - 1)):
                i -= 1
            a = i
            if a == lo and lo > 0 and not Py_UNICODE_ISSPACE(at(t, lo - 1)):
                break  # the window began inside that word
            count += 1
            c0 = a
            while c0 < b and _junction_lead(at(t, c0)):
                c0 += 1
            if c0 < b and _junction_trim(at(t, b - 1)):
                break  # it carries punctuation after it
            out.append(_casefold(t, self.text, c0, b))
            if c0 != a:
                break
        out.reverse()
        return out

    def apply(self, list edits):
        """edits.apply_edits for edits in text order that were cut from this text: one new
        string as wide as the widest character it keeps or writes (as "".join of the pieces
        would make it), the pieces copied into it (not with PyUnicode_CopyCharacters, which in
        CPython 3.11 checks the wrong stretch of a Latin-1 source before it writes into an
        ASCII string)."""
        cdef Py_ssize_t pos = 0, size, start, end, k
        cdef str text = self.text, after
        cdef tuple edit
        cdef bint ascii = PyUnicode_IS_ASCII(text)  # then nothing kept is wider than 127
        cdef Py_UCS4 widest = 127, m
        cdef Py_UCS4 most = PyUnicode_MAX_CHAR_VALUE(text)  # nothing kept is wider than the text allows
        if not edits:
            return text
        size = self.t.n
        for item in edits:
            edit = <tuple>item  # an Edit: read as the tuple it is
            start = edit[0]
            end = edit[1]
            if not pos <= start <= end <= self.t.n:  # the copies below trust these offsets
                raise ValueError(f"edit at {start}:{end} does not fit the text")
            if not ascii and widest < most and start > pos:
                m = _widest(&self.t, pos, start)
                if m > widest:
                    widest = m
            pos = end
            after = <str>edit[3]
            size += len(after) - (end - start)
            m = PyUnicode_MAX_CHAR_VALUE(after)  # a str is as wide as its widest character
            if m > widest:
                widest = m
        if not ascii and widest < most and self.t.n > pos:
            m = _widest(&self.t, pos, self.t.n)
            if m > widest:
                widest = m
        out = PyUnicode_New(size, widest)
        cdef int okind = PyUnicode_KIND(out)
        cdef void* odata = PyUnicode_DATA(out)
        pos = k = 0
        for item in edits:
            edit = <tuple>item
            start = edit[0]
            after = <str>edit[3]
            _copy(okind, odata, k, self.t.kind, self.t.data, pos, start - pos)
            k += start - pos
            _copy(okind, odata, k, PyUnicode_KIND(after), PyUnicode_DATA(after), 0, len(after))
            k += len(after)
            pos = edit[1]
        _copy(okind, odata, k, self.t.kind, self.t.data, pos, self.t.n - pos)
        return out


cdef inline bint _word(Py_UCS4 c) except -1:
    if c < 128:
        return ASCII_WORD[c]
    return is_word(c)


cdef Py_ssize_t _walk(Core core, const char_t* s, Py_ssize_t n, Py_ssize_t p, Py_ssize_t q, int32_t node,
                      Cand** out, Py_ssize_t* cap, Py_ssize_t count) except -1:
    """Walk the trie from ``node`` (reached by the characters from ``p`` up to ``q``), recording
    every pattern that ends at a word boundary, longest first; returns the new number of
    candidates."""
    cdef Py_ssize_t mark = count, lo, hi
    cdef int c
    cdef int32_t pat
    cdef Cand tmp
    cdef Cand* buf = out[0]
    cdef Py_UCS4 ch, a
    cdef const uint8_t* acls = core.ascii_cls
    cdef const Node* nodes = core.nodes
    while True:
        if nodes[node].nk & TERMINAL:
            pat = core.nterm[node]
            # matcher.at_word_bounds, end side
            if q < n and _word(s[q - 1]):
                a = s[q]
                if _word(a) or (a == 45 and q + 1 < n and _word(s[q + 1])):
                    pat = -1
            if pat >= 0:
                if count == cap[0]:
                    cap[0] = cap[0] * 2 + 64
                    buf = <Cand*>realloc(buf, sizeof(Cand) * cap[0])
                    if buf == NULL:
                        raise MemoryError()
                    out[0] = buf
                buf[count].start = p
                buf[count].end = q
                buf[count].pat = pat
                count += 1
        if q >= n:
            break
        ch = s[q]
        c = acls[ch] if ch < 128 else core.cls_of(ch)
        if c == 0:
            break
        node = core.child(node, c)
        if node < 0:
            break
        q += 1
    lo, hi = mark, count - 1  # found shortest first: longest first is wanted
    while lo < hi:
        tmp = buf[lo]
        buf[lo] = buf[hi]
        buf[hi] = tmp
        lo += 1
        hi -= 1
    return count


cdef inline int32_t _segment_node(Core core, uint64_t h, Py_ssize_t length) noexcept nogil:
    """The trie node after a first segment of ``length`` (up to SEG_EXACT) classes hashed to
    ``h``; -1 when no pattern starts with that segment."""
    cdef const Segment* segs = core.segs
    cdef uint64_t i = (h * HASH_MIX) >> core.seg_shift
    while segs[i].length != 0:
        if segs[i].h == h and segs[i].length == length:
            return segs[i].node
        i = (i + 1) & core.seg_mask
    return -1


cdef Py_ssize_t _walk_segment(Core core, const char_t* s, Py_ssize_t n, Py_ssize_t p, Py_ssize_t q,
                              uint64_t h, Cand** out, Py_ssize_t* cap, Py_ssize_t count) except -1:
    """_walk for the patterns that start with the segment ``[p, q)`` (hashed to ``h``): a short
    one is looked up and walked on from its end (a pattern that ends inside it ends inside a
    word), a longer one walked from its first character, where a pattern starts with it (the
    filter lets a few other segments through: "x", "0", "2" and "9" start no shipped pattern)."""
    cdef int32_t node
    if q - p <= SEG_EXACT:
        node = _segment_node(core, h, q - p)
    else:
        node = core.root[core.ascii_cls[s[p]] if s[p] < 128 else core.cls_of(s[p])]
        q = p + 1
    return count if node < 0 else _walk(core, s, n, p, q, node, out, cap, count)


cdef inline bint _in_filter(Core core, uint64_t key) noexcept nogil:
    key = (key * HASH_MIX) >> core.bloom_shift
    return core.bloom[key >> 3] & (1 << (key & 7))


cdef inline bint _in_names(Core core, uint64_t key) noexcept nogil:
    key = (key * HASH_MIX) >> core.nbloom_shift
    return core.nbloom[key >> 3] & (1 << (key & 7))


cdef inline void _set_bit(uint8_t* bloom, int shift, uint64_t key) noexcept nogil:
    key = (key * HASH_MIX) >> shift
    bloom[key >> 3] |= 1 << (key & 7)


cdef inline uint64_t _pair_key(uint64_t first, uint64_t second) noexcept nogil:
    return (first * HASH_PAIR) ^ second


cdef Py_ssize_t _find(Core core, const char_t* s, Py_ssize_t n, Cand** out, Py_ssize_t* cap,
                      Py_ssize_t* blanks, Marks* marks) except -1:
    """Core.find for one width of the text's code points (read in place, no copy); ``blanks``
    receives the number of spaces and line breaks (scoring.count_words, in the same pass).

    Text is read a segment at a time: a segment is a run of word characters that fold to word
    characters of the patterns. A pattern that starts with a word character can match only where
    a segment starts a word (matcher.at_word_bounds), and only if that segment is the pattern's
    first segment and, for a pattern of several, the next segment its second. A hash of the one
    or the two, looked up in a bit filter built from the patterns, rules out most words before
    any trie walk; the walk then decides, so a false positive costs time, never an answer. The
    walk of a segment waits for the next segment's hash, so candidates can come out of order by
    a few places; they are put back in order at the end."""
    cdef Py_ssize_t p = 0, q, count = 0, prev_start = -1, prev_end = -1
    cdef uint64_t pair
    cdef int c
    cdef int32_t node
    cdef Py_UCS4 ch
    cdef uint64_t h, prev_h = 0
    cdef bint w, valid, segment, prev_valid = False, disorder = False
    cdef const uint8_t* acls = core.ascii_cls
    cdef const uint8_t* aseg = core.ascii_seg
    cdef const uint8_t* cword = core.cword
    cdef uint64_t seed = HASH_SEED
    while p < n:
        ch = s[p]
        if ch < 128:
            w = ASCII_WORD[ch]
            c = acls[ch]
            segment = aseg[ch] != 0
        else:
            w = is_word(ch)
            c = core.cls_of(ch)
            segment = w and c != 0 and cword[c]
        if segment:
            valid = p == 0 or not (_word(s[p - 1]) or (s[p - 1] == 45 and p > 1 and _word(s[p - 2])))
            # a segment: hash its classes
            h = seed
            q = p
            while True:
                h = _step(h, <uint64_t>c)
                q += 1
                if q >= n:
                    break
                ch = s[q]
                if ch < 128:
                    c = aseg[ch]
                    if c == 0:
                        break
                else:
                    if not is_word(ch):
                        break
                    c = core.cls_of(ch)
                    if c == 0 or not cword[c]:
                        break
            if prev_valid:
                pair = _pair_key(prev_h, h)
                if _in_filter(core, prev_h) or _in_filter(core, pair):
                    disorder = disorder or (count > 0 and out[0][count - 1].start > prev_start)
                    count = _walk_segment(core, s, n, prev_start, prev_end, prev_h, out, cap, count)
                if marks != NULL and 65 <= s[prev_start] <= 90 and (
                        _in_names(core, prev_h) or _in_names(core, pair)):
                    _mark(marks, prev_start, prev_end)
            prev_start, prev_end, prev_h, prev_valid = p, q, h, valid
            p = q
            continue
        if not w and (ch == 32 or ch == 10):
            blanks[0] += 1
        # any other character may start a pattern that starts with it ("'s", ".One")
        if c != 0 and core.root[c] >= 0 and (
                not w or p == 0 or not (_word(s[p - 1]) or (s[p - 1] == 45 and p > 1 and _word(s[p - 2])))):
            count = _walk(core, s, n, p, p + 1, core.root[c], out, cap, count)
        p += 1
    if prev_valid and _in_filter(core, prev_h):
        disorder = disorder or (count > 0 and out[0][count - 1].start > prev_start)
        count = _walk_segment(core, s, n, prev_start, prev_end, prev_h, out, cap, count)
    if prev_valid and marks != NULL and 65 <= s[prev_start] <= 90 and _in_names(core, prev_h):
        _mark(marks, prev_start, prev_end)
    if disorder:
        _sort_candidates(out[0], count)
    return count


cdef int _mark(Marks* marks, Py_ssize_t start, Py_ssize_t end) except -1:
    cdef Cand* grown
    if marks.n == marks.cap:
        grown = <Cand*>realloc(marks.buf, sizeof(Cand) * (marks.cap * 2 + 16))
        if grown == NULL:
            raise MemoryError()
        marks.buf = grown
        marks.cap = marks.cap * 2 + 16
    marks.buf[marks.n].start = start
    marks.buf[marks.n].end = end
    marks.buf[marks.n].pat = -1
    marks.n += 1
    return 0


cdef void _sort_candidates(Cand* buf, Py_ssize_t n) noexcept nogil:
    """Insertion sort by (start, longest first, pattern): the walks left only local disorder."""
    cdef Py_ssize_t i, j
    cdef Cand x
    for i in range(1, n):
        x = buf[i]
        j = i
        while j > 0 and _before(&x, &buf[j - 1]):
            buf[j] = buf[j - 1]
            j -= 1
        buf[j] = x


def beside_capitals(str text, Py_ssize_t s, Py_ssize_t e):
    """:func:`_beside_capitals` on ``text[s:e]`` (0 <= s <= e <= len(text)), for the tests
    that hold it equal to repairer._beside_capitals."""
    cdef Text t
    if not 0 <= s <= e <= len(text):
        raise ValueError("span out of the text")
    t.kind, t.data, t.n = PyUnicode_KIND(text), PyUnicode_DATA(text), PyUnicode_GET_LENGTH(text)
    return _beside_capitals(&t, s, e)


cdef bint _beside_capitals(Text* t, Py_ssize_t s, Py_ssize_t e) noexcept:
    """repairer._beside_capitals, character for character: a capital letter ends the 8
    characters before the span (``str.rstrip`` spaces skipped), or the first two of the 8
    after it (``str.lstrip``) are letters and capitals (``str.isupper``: no small or title-case
    letter, one capital at least)."""
    cdef Py_ssize_t i, lo = s - 8 if s >= 8 else 0, hi = e + 8 if e + 8 <= t.n else t.n
    cdef Py_UCS4 a, b
    i = s
    while i > lo and Py_UNICODE_ISSPACE(at(t, i - 1)):
        i -= 1
    if i > lo and Py_UNICODE_ISUPPER(at(t, i - 1)):
        return True
    i = e
    while i < hi and Py_UNICODE_ISSPACE(at(t, i)):
        i += 1
    if i >= hi:
        return False
    a = at(t, i)
    if i + 1 >= hi:  # one character left: tail[:2] is it alone
        return Py_UNICODE_ISUPPER(a) and Py_UNICODE_ISALPHA(a)
    b = at(t, i + 1)
    if not (Py_UNICODE_ISALPHA(a) and Py_UNICODE_ISALPHA(b)):
        return False
    if Py_UNICODE_ISLOWER(a) or Py_UNICODE_ISTITLE(a) or Py_UNICODE_ISLOWER(b) or Py_UNICODE_ISTITLE(b):
        return False
    return Py_UNICODE_ISUPPER(a) or Py_UNICODE_ISUPPER(b)


cdef inline uint64_t _mix(uint64_t x) noexcept:
    """A 64-bit finaliser (splitmix64's): spreads a pair of word numbers over the table."""
    x ^= x >> 30
    x *= 0xbf58476d1ce4e5b9ULL
    x ^= x >> 27
    x *= 0x94d049bb133111ebULL
    x ^= x >> 31
    return x


cdef inline bint _news_punct(Py_UCS4 c) noexcept:
    """repairer._NEWS_PUNCTUATION: curly quotes, dashes, ellipsis, bullet, guillemets, no-break
    and thin spaces, never part of a word."""
    return (c == 0x2018 or c == 0x2019 or c == 0x201c or c == 0x201d or c == 0x2013 or c == 0x2014
            or c == 0x2026 or c == 0x2022 or c == 0xab or c == 0xbb or c == 0xa0 or c == 0x2009)


cdef inline bint _ascii_letter(Py_UCS4 c) noexcept:
    return 65 <= c <= 90 or 97 <= c <= 122


cdef int _runs(Text* t, Py_ssize_t lo, Py_ssize_t hi, bint letters, Py_ssize_t stop, Py_ssize_t* words,
               Py_ssize_t* caps) noexcept:
    """The runs of two characters or more in ``t[lo:hi]`` of ASCII word characters (``letters``:
    of ASCII letters only): how many (``words``) and how many hold capitals only (``caps``),
    stopping once ``caps`` reaches ``stop`` (0: never). 0, or -1 where a character is neither
    ASCII nor news punctuation (whose reading is left to the Python code)."""
    cdef Py_ssize_t i = lo, start
    cdef Py_UCS4 c
    cdef bint upper
    while i < hi:
        c = at(t, i)
        if c >= 128:
            if not _news_punct(c):
                return -1
            i += 1
            continue
        if not (_ascii_letter(c) if letters else ASCII_WORD[c]):
            i += 1
            continue
        start = i
        upper = True
        while i < hi:
            c = at(t, i)
            if c >= 128:
                if not _news_punct(c):
                    return -1
                break
            if not (_ascii_letter(c) if letters else ASCII_WORD[c]):
                break
            upper = upper and 65 <= c <= 90
            i += 1
        if i - start >= 2:
            words[0] += 1
            caps[0] += upper
            if stop and caps[0] >= stop:
                return 0
    return 0


cdef int _headline(Text* t) noexcept:
    """repairer._may_hold_headline (three words of two capitals or more, ``\\b[[:upper:]]{2,}\\b``:
    runs of word characters, all capitals) read where the text holds ASCII and news
    punctuation: 1 or 0; -1 where another character comes first (the Python code decides)."""
    cdef Py_ssize_t words = 0, caps = 0
    if _runs(t, 0, t.n, False, 3, &words, &caps) < 0:
        return -1
    return caps >= 3


cdef bint _caps_token(Text* t, Py_ssize_t pos, bint after) except -1:
    """Is the token after ``pos`` (context.next_token; before it, context.prev_token, when not
    ``after``) two characters or more, all letters, with capitals and no small or title-case
    letter (``len(t) > 1 and t.isupper() and t.isalpha()``)? False at the text's edge."""
    cdef Py_ssize_t a = 0, b = 0, i
    cdef Py_UCS4 c
    cdef bint cased = False
    if (next_tok(t, pos, &a, &b) if after else prev_tok(t, pos, &a, &b)) == TOK_NONE or b - a < 2:
        return False
    for i in range(a, b):  # str.isalpha() and str.isupper(), a character at a time
        c = at(t, i)
        if c < 128:  # (ASCII: no call into the Unicode tables)
            if not 65 <= c <= 90:
                return False
            cased = True
        elif not Py_UNICODE_ISALPHA(c) or Py_UNICODE_ISLOWER(c) or Py_UNICODE_ISTITLE(c):
            return False
        else:
            cased = cased or Py_UNICODE_ISUPPER(c)
    return cased


cdef int _caps_run(Text* t, Py_ssize_t s, Py_ssize_t e) except -2:
    """repairer._in_caps_run once _beside_capitals holds: 1 or 0; -1 where the line it counts
    holds a character that is neither ASCII nor news punctuation (the Python code decides). A
    neighbouring token is ALL CAPS, and so are three words or more, and three in five, of the
    line within 200 characters either side (words: runs of two letters or more)."""
    cdef Py_ssize_t i, n = t.n, lo, hi, words = 0, caps = 0
    if not (_caps_token(t, e, True) or _caps_token(t, s, False)):
        return 0
    lo = s - 200 if s >= 200 else 0
    i = s
    while i > lo:  # text.rfind("\n", max(0, s - 200), s) + 1, or s - 200
        if at(t, i - 1) == 10:
            break
        i -= 1
    lo = i
    hi = e + 200
    i = e
    while i < n and i < e + 200:  # text.find("\n", e, e + 200), or e + 200
        if at(t, i) == 10:
            hi = i
            break
        i += 1
    if hi > n:
        hi = n
    if _runs(t, lo, hi, True, 0, &words, &caps) < 0:  # words: runs of [^\W\d_], two letters or more
        return -1
    return caps >= 3 and caps * 5 >= words * 3


def headline_checks(str text, Py_ssize_t s, Py_ssize_t e):
    """(:func:`_headline`, :func:`_caps_run`) of ``text`` and its span ``[s, e)``, for the tests
    that hold them to repairer._may_hold_headline and repairer._in_caps_run."""
    cdef Text t
    if not 0 <= s <= e <= len(text):
        raise ValueError("span out of the text")
    t.kind, t.data, t.n = PyUnicode_KIND(text), PyUnicode_DATA(text), PyUnicode_GET_LENGTH(text)
    return _headline(&t), _caps_run(&t, s, e)


cdef dict _evidence_of(dict keys, list edits, set patterns):
    """Per pattern of ``patterns``, the edits by one of its entries that rewrote its spun
    phrase to its canonical (compared in lower case), in text order."""
    cdef dict out = {}
    cdef tuple e, item
    cdef object hit, before, after
    for edit in edits:
        e = <tuple>edit
        hit = keys.get(e[4])  # the edit's entry
        if hit is None:
            continue
        before = None
        for it in <tuple>hit:
            item = <tuple>it
            if item[0] not in patterns:
                continue
            if before is None:
                before, after = (<str>e[2]).lower(), (<str>e[3]).lower()
            if before == item[1] and after == item[2]:
                found = out.get(item[0])
                if found is None:
                    out[item[0]] = [e]
                else:
                    (<list>found).append(e)
    return out


def run_spans(str text, stretches, small):
    """fuzzy.RUN's matches in each of ``stretches`` ((start, end) pairs, in text order), as
    ``RUN.finditer(text, start, end)`` gives them, as (start, end) pairs: a capital A-Z and the
    ``[\\w'’.-]`` after it, then at least once whitespace, small words each followed by
    whitespace, and another such word (``small``: fuzzy.SMALL_WORDS). Each part stops where the
    next cannot start, so the regex's backtracking never finds more; a failed try moves on by
    one character."""
    cdef Text t
    t.kind, t.data, t.n = PyUnicode_KIND(text), PyUnicode_DATA(text), PyUnicode_GET_LENGTH(text)
    return _run_list(&t, text, stretches, small)


cdef list _run_list(Text* t, str text, stretches, small):
    """run_spans over a text already read."""
    cdef Py_ssize_t lo, hi, p, end, longest = _longest(small)
    cdef list out = []
    for stretch in stretches:
        lo, hi = stretch
        if hi > t.n:
            hi = t.n
        p = lo
        while p < hi:
            if 65 <= at(t, p) <= 90:
                end = _run_at(t, text, p, hi, small, longest)
                if end > 0:
                    out.append((p, end))
                    p = end
                    continue
            p += 1
    return out


cdef Py_ssize_t _run_at(Text* t, str text, Py_ssize_t p, Py_ssize_t hi, small, Py_ssize_t longest) except -1:
    """The end of fuzzy.RUN's match at ``p`` (a capital A-Z) with the text cut at ``hi``; 0
    where it does not match (a run ends past at least two words)."""
    cdef Py_ssize_t i = p + 1, j, end = 0
    while i < hi and _run_char(at(t, i)):
        i += 1
    while True:  # (?:\s+(?:(?:small)\s+)*[A-Z][\w'’.-]*)+, each repeat taken if it matches
        j = _space_end(t, i, hi)
        if j == i:
            return end
        j = _past_small(t, text, j, hi, small, longest)
        if not (j < hi and 65 <= at(t, j) <= 90):
            return end
        i = j + 1
        while i < hi and _run_char(at(t, i)):
            i += 1
        end = i


cdef object _small_seen = None  # the last set of small words _longest was asked about
cdef Py_ssize_t _small_longest = 0


cdef Py_ssize_t _longest(small) except -1:
    """The length of the longest of fuzzy.RUN's small words (``small``), worked out once for
    the set callers pass each time."""
    global _small_seen, _small_longest
    if small is not _small_seen:
        _small_longest = max(map(len, small)) if small else 0
        _small_seen = small
    return _small_longest


cdef Py_ssize_t _past_small(Text* t, str text, Py_ssize_t j, Py_ssize_t hi, small,
                            Py_ssize_t longest) except -1:
    """From ``j``, past fuzzy.RUN's small words (``small``, none longer than ``longest``) each
    followed by whitespace, the text cut at ``hi``: where the next word starts (``j`` where no
    small word does). No string is made for a longer word."""
    cdef Py_ssize_t k
    while True:
        k = j
        while k < hi and k - j <= longest and not Py_UNICODE_ISSPACE(at(t, k)):
            k += 1
        if k >= hi or k - j > longest or text[j:k] not in small:
            return j
        j = _space_end(t, k, hi)


cdef Py_ssize_t* _edit_spans(list edits) except NULL:
    """The starts and then the ends of ``edits`` (Edits or tuples whose first two fields are
    start and end, in text order and disjoint) in one array to free."""
    cdef Py_ssize_t k, ne = len(edits)
    cdef tuple e
    cdef Py_ssize_t* es = <Py_ssize_t*>malloc(sizeof(Py_ssize_t) * (2 * ne + 1))
    if es == NULL:
        raise MemoryError()
    for k in range(ne):
        e = <tuple>edits[k]
        es[k], es[ne + k] = e[0], e[1]
        if k and es[k] < es[ne + k - 1]:
            free(es)
            raise ValueError("edits must be in text order and disjoint")
    return es


cdef inline Py_ssize_t _below(const Py_ssize_t* xs, Py_ssize_t n, Py_ssize_t pos) noexcept:
    """How many of the sorted ``xs`` are below ``pos`` (bisect_left)."""
    cdef Py_ssize_t lo = 0, hi = n, mid
    while lo < hi:
        mid = (lo + hi) >> 1
        if xs[mid] < pos:
            lo = mid + 1
        else:
            hi = mid
    return lo


cdef Py_ssize_t _edit_at(const Py_ssize_t* starts, Py_ssize_t n, Py_ssize_t pos) noexcept:
    """The index of the edit that starts at ``pos`` (``starts`` sorted), or -1."""
    cdef Py_ssize_t lo = _below(starts, n, pos)
    return lo if lo < n and starts[lo] == pos else -1


cdef object _replace(Core core, str before, str canonical):
    """repairer._replacement(before, canonical): worked out here where both are ASCII (see
    :func:`_ascii_replacement`), else asked of the Python code."""
    found = _ascii_replacement(before, canonical)
    return core.replacement(before, canonical) if found is None else found


def ascii_replacement(str before, str canonical):
    """Test hook: :func:`_ascii_replacement`."""
    return _ascii_replacement(before, canonical)


cdef object _ascii_replacement(str before, str canonical):
    """repairer._replacement (casing.transfer_case, then keep_separators) where ``before`` is
    ASCII with single spaces between its words and ``canonical`` is ASCII: ALL CAPS (two
    letters or more, no small one) gives the canonical in capitals; a canonical with a capital
    of its own, or a match in small letters, gives it as written; else each word takes a
    capital where the match's word has one (the first alone where the counts of words differ).
    None where the rule does not say (the Python code decides)."""
    cdef Py_ssize_t i, n = len(before), letters = 0
    cdef Py_UCS4 c
    cdef bint upper = False, lower = False, space = False
    if not (PyUnicode_IS_ASCII(before) and PyUnicode_IS_ASCII(canonical)) or n == 0:
        return None
    for i in range(n):
        c = before[i]
        if Py_UNICODE_ISSPACE(c):
            if c != 32 or space or i == 0 or i == n - 1:
                return None  # (a separator keep_separators would put back, or an edge space)
            space = True
            continue
        space = False
        if 65 <= c <= 90:
            upper = True
            letters += 1
        elif 97 <= c <= 122:
            lower = True
            letters += 1
    if upper and not lower and letters > 1:
        return canonical.upper()
    if not canonical.islower() or not upper:
        return canonical  # (a canonical with capitals of its own; a match in small letters or none)
    src = before.split(" ")
    out = canonical.split(" ")
    if len(src) == len(out):
        return " ".join([_capital_first(o) if 65 <= ord((<str>w)[0]) <= 90 else o for w, o in zip(src, out)])
    return _capital_first(canonical) if 65 <= ord(before[0]) <= 90 else canonical


cdef str _capital_first(str word):
    """casing._capitalize_first for an ASCII word: its first letter in capitals."""
    cdef Py_ssize_t i
    for i in range(len(word)):
        if word[i].isalpha():
            return word[:i] + word[i].upper() + word[i + 1:]
    return word


cdef inline bint _edge_punct(Py_UCS4 c) noexcept:
    """In junctions._EDGE_PUNCT (_TRIM and _LEAD; the curly quotes and guillemets among them
    casefold() leaves as they are)."""
    return _junction_trim(c) or _junction_lead(c)


cdef inline bint _junction_trim(Py_UCS4 c) noexcept:
    """In junctions._TRIM: punctuation a word may carry after it."""
    return _TRIM_ASCII[c] if c < 128 else (c == 0x201d or c == 0x2019 or c == 0xbb)


cdef inline bint _junction_lead(Py_UCS4 c) noexcept:
    """In junctions._LEAD: punctuation a word may carry before it."""
    return _LEAD_ASCII[c] if c < 128 else (c == 0x201c or c == 0x2018 or c == 0xab)


cdef inline bint _apostrophe(Py_UCS4 c) noexcept:
    return c == 39 or c == 0x2019


cdef inline bint _letter_s(Py_UCS4 c) noexcept:
    """What junctions._POSSESSIVE's ``s`` matches, case-insensitively (the long s too)."""
    return c == 115 or c == 83 or c == 0x17f


cdef str _casefold(Text* t, str text, Py_ssize_t a, Py_ssize_t b):
    """``text[a:b].casefold()``, with no call where it is ASCII without capitals."""
    cdef Py_ssize_t i
    cdef Py_UCS4 c
    cdef bint upper = False, other = False
    word = text[a:b]
    for i in range(a, b):
        c = at(t, i)
        if c >= 128:
            other = True
            break
        upper = upper or 65 <= c <= 90
    return word.casefold() if other else word.lower() if upper else word  # (lower(): ASCII's fast path)


cdef inline bint _run_char(Py_UCS4 c) noexcept:
    """A character of a run's word after its capital: ``[\\w'’.-]`` (ASCII from a table:
    Py_UNICODE_ISALNUM is four calls into the Unicode tables)."""
    if c < 128:
        return ASCII_WORD[c] or c == 39 or c == 46 or c == 45
    return Py_UNICODE_ISALNUM(c) or c == 0x2019


cdef list _windows(Text* t, str text, Cand* occ, Py_ssize_t n, small):
    """Core.run_windows from occurrences (start, end) in text order."""
    cdef Py_ssize_t i, lo, hi, longest = _longest(small) if n else 0
    cdef list windows = []
    for i in range(n):
        if windows and occ[i].start < (<tuple>windows[len(windows) - 1])[1]:
            continue  # inside the last window already
        if not (65 <= at(t, occ[i].start) <= 90 and (
                _cap_after(t, text, occ[i].end, small, longest) or _cap_before(t, text, occ[i].start, small))):
            continue
        lo = _run_bound_before(t, text, occ[i].start, small)
        hi = _run_bound_after(t, text, occ[i].end, small)
        if windows and lo <= (<tuple>windows[len(windows) - 1])[1]:
            windows[len(windows) - 1] = ((<tuple>windows[len(windows) - 1])[0], hi)
        else:
            windows.append((lo, hi))
    return windows


cdef inline Py_ssize_t _space_end(Text* t, Py_ssize_t i, Py_ssize_t hi) noexcept:
    """Past the whitespace (str.isspace) that starts at ``i``, up to ``hi``."""
    while i < hi and Py_UNICODE_ISSPACE(at(t, i)):
        i += 1
    return i


cdef inline Py_ssize_t _space_start(Text* t, Py_ssize_t i, Py_ssize_t lo=0) noexcept:
    """Back to the start of the whitespace that ends at ``i``, down to ``lo``."""
    while i > lo and Py_UNICODE_ISSPACE(at(t, i - 1)):
        i -= 1
    return i


cdef inline Py_ssize_t _ink_end(Text* t, Py_ssize_t i, Py_ssize_t hi) noexcept:
    """Past the characters that are not whitespace (a str.split() word) from ``i``, up to ``hi``."""
    while i < hi and not Py_UNICODE_ISSPACE(at(t, i)):
        i += 1
    return i


cdef inline Py_ssize_t _ink_start(Text* t, Py_ssize_t i, Py_ssize_t lo) noexcept:
    """Back to the start of the str.split() word that ends at ``i``, down to ``lo``."""
    while i > lo and not Py_UNICODE_ISSPACE(at(t, i - 1)):
        i -= 1
    return i


cdef inline Py_ssize_t _word_end(Text* t, Py_ssize_t i) noexcept:
    """Past the run-word characters (``[\\w'’.-]``) that start at ``i``."""
    while i < t.n and _run_char(at(t, i)):
        i += 1
    return i


cdef inline Py_ssize_t _word_start(Text* t, Py_ssize_t i) noexcept:
    """Back to the start of the run-word characters that end at ``i``."""
    while i > 0 and _run_char(at(t, i - 1)):
        i -= 1
    return i


cdef bint _has_capital(Text* t, Py_ssize_t a, Py_ssize_t b) noexcept:
    cdef Py_ssize_t m
    for m in range(a, b):
        if 65 <= at(t, m) <= 90:
            return True
    return False


cdef bint _cap_after(Text* t, str text, Py_ssize_t e, small, Py_ssize_t longest) except -1:
    """Does the word ending at ``e`` continue into a run: the rest of the word, whitespace,
    small words each followed by whitespace, then a capital (as fuzzy.RUN reads on)?"""
    cdef Py_ssize_t i = _word_end(t, e), j = _space_end(t, i, t.n)
    if j == i:
        return False
    j = _past_small(t, text, j, t.n, small, longest)
    return j < t.n and 65 <= at(t, j) <= 90


cdef bint _cap_before(Text* t, str text, Py_ssize_t s, small) except -1:
    """Does a capitalised word (``[A-Z][\\w'’.-]*``) end before ``s`` across whitespace and
    small words each followed by whitespace?"""
    cdef Py_ssize_t i = s, j, k
    while True:
        j = _space_start(t, i)
        if j == i or j == 0:
            return False
        k = _word_start(t, j)
        if k == j and at(t, j - 1) == 38:  # &
            k = j - 1
        if text[k:j] not in small:
            return _has_capital(t, k, j)
        i = k


cdef inline bint _runs_through(Py_UCS4 c) noexcept:
    """Can a run of capitalised words hold ``c``? Its words' characters, whitespace and "&"."""
    return _run_char(c) or Py_UNICODE_ISSPACE(c) or c == 38


cdef Py_ssize_t _run_bound_before(Text* t, str text, Py_ssize_t s, small) except -1:
    """The nearest position at or before ``s`` that no run crosses: after a character no run
    holds, or after a word without a capital that is not a small word."""
    cdef Py_ssize_t j, k, lo = s
    while True:
        j = _space_start(t, lo)
        if j == 0:
            return 0
        if not _runs_through(at(t, j - 1)):
            return j
        k = _word_start(t, j)
        if k == j:  # "&"
            k = j - 1
        if not _has_capital(t, k, j) and text[k:j] not in small:
            return j
        lo = k


cdef Py_ssize_t _run_bound_after(Text* t, str text, Py_ssize_t e, small) except -1:
    """The nearest position at or after ``e`` that no run crosses (as _run_bound_before)."""
    cdef Py_ssize_t j, k, hi = _word_end(t, e)
    while True:
        j = _space_end(t, hi, t.n)
        if j >= t.n:
            return t.n
        if not _runs_through(at(t, j)):
            return j
        k = _word_end(t, j)
        if k == j:  # "&"
            k = j + 1
        if not _has_capital(t, j, k) and text[j:k] not in small:
            return j
        hi = k


cdef inline bint _before(Cand* a, Cand* b) noexcept nogil:
    if a.start != b.start:
        return a.start < b.start
    if a.end != b.end:
        return a.end > b.end
    return a.pat < b.pat
