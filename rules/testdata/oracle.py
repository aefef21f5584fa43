"""The ERP's evaluation of Notification conditions and templates, for walnotify's oracle test.

Reads a JSON list of cases on stdin: {"kind": "condition" | "condition-repr" | "template", "src": ...,
"doc": {...}} ("condition-repr": the condition's value as repr prints it, not its truth)
and writes one JSON result per case: {"ok": true, "value": <bool | text>} or
{"ok": false, "error": "<ExceptionClass>: <message>"}.

Set up as Frappe sets them up (frappe/utils/safe_exec.py safe_eval, frappe/utils/jinja.py
get_jenv, Notification.send): conditions are eval()ed with no builtins but int, float, long,
round (and len, which walnotify adds), the document as a frappe._dict, nowdate and
frappe.utils; templates run in Jinja2's SandboxedEnvironment with DebugUndefined, Frappe's
json/len/int/str/flt filters, and the context doc, comments (from _comments), frappe and (as in
the ERP's latest versions) nowdate. The site's day is fixed, TODAY, as walnotify's side renders
on it. Helpers that depend on the site's formats (money, URLs) are left out of the oracle's
cases, but for global_date_format on an English site, the shape of nowtime's answer, and
fmt_money, formatdate, format_datetime and frappe.format_value (with format_time) on an
English site with the default date and time formats and the case's number format and Currency
records.
"""

import calendar
import datetime
import json
import math
import re
import sys
import unicodedata

from jinja2 import DebugUndefined
from jinja2.sandbox import SandboxedEnvironment
from num2words import num2words


class _dict(dict):
    """frappe._dict: a dict whose keys read as attributes (missing ones as None)."""

    __getattr__ = dict.get

    def __setattr__(self, key, value):
        self[key] = value


class Document:
    """A Document as templates and conditions see it: every column is an attribute (a child
    table too, so doc.items is the rows, not dict.items), doc.get(), doc["x"]."""

    def __init__(self, fields):
        self.__dict__.update(fields)

    def __getattr__(self, name):
        return None

    def __getitem__(self, key):
        return self.__dict__[key]

    def get(self, key, filters=None, limit=None, default=None):
        # The ERP's BaseDocument.get: a second argument by position is the filters of a child
        # table, or, when true and no dict, the default.
        if filters and not isinstance(filters, dict):
            default = filters
        return self.__dict__.get(key, default)

    def get_doc_before_save(self):
        # The ERP's Document.get_doc_before_save: the document as loaded before this save, None
        # for a new one (a case gives it as the document's "__before").
        return self.__dict__.get("_doc_before_save")

    def has_value_changed(self, fieldname):
        # The ERP's Document.has_value_changed (frappe/model/document.py); the oracle's dates
        # are text on both sides, so its date conversions do not apply.
        previous = self.get_doc_before_save()
        if not previous:
            return True
        return previous.get(fieldname) != self.get(fieldname)


class TemplateDocument(Document):
    """A Document as the ERP's templates see it. The ERP's BaseDocument has no __getattr__: a
    field the document lacks (no column of its table) is Python's AttributeError, which Jinja2's
    sandbox makes its undefined value, as it makes doc._x one."""

    def __getattr__(self, name):
        raise AttributeError(name)


def wrap(v, document=False):
    """v with its dicts as the ERP has them: frappe._dicts, or, given a document class
    (document=True: Document), that class for the document and its child rows."""
    if isinstance(v, dict):
        if document:
            # A dict that is a field's value is a JSON column's object, a plain dict in the ERP;
            # child rows come in lists.
            return (Document if document is True else document)({k: x if isinstance(x, dict) else wrap(x, document) for k, x in v.items()})
        return _dict({k: wrap(x, document) for k, x in v.items()})
    if isinstance(v, list):
        return [wrap(x, document) for x in v]
    return v


def cstr(s, encoding="utf-8"):
    if s is None:
        return ""
    return str(s)


def flt(s, precision=None):
    if isinstance(s, str):
        s = s.replace(",", "")
    try:
        num = float(s)
        if precision is not None:
            num = rounded(num, precision)
    except Exception:
        num = 0.0
    return num


def cint(s, default=0):
    try:
        return int(float(s))
    except Exception:
        return default


def rounded(num, precision=0):
    # The ERP's rounded with its default method, "Banker's Rounding (legacy)": scaled, rounded
    # to 8 decimals against float noise, then an exact half goes up, but to the even neighbour
    # when the precision is 0 (which gives an int).
    precision = cint(precision)
    scale = 10 ** precision
    x = round(num * scale if precision else num, 8)
    below = math.floor(x)
    if x - below == 0.5:
        x = below + 1 if precision or below % 2 else below
    else:
        x = round(x)
    return x / scale if precision else x


def strip_html(text):
    # The ERP's frappe.utils.strip_html: comments, then anything between < and >.
    return re.sub(r"(<!--.*?-->|<[^>]*>)", "", text)


def escape_html(text):
    # The ERP's escape_html: & " ' < > as entities; anything but a text comes back as it is.
    if not isinstance(text, str):
        return text
    return text.translate(str.maketrans({"&": "&amp;", '"': "&quot;", "'": "&apos;", "<": "&lt;", ">": "&gt;"}))


def comma_sep(some_list, pattern, add_quotes=True):
    # The ERP's comma_sep: a list or tuple's items as str(), one item bare, several quoted
    # unless told, all but the last joined by ", " into the pattern's {0}, the last its {1};
    # anything else comes back as it is.
    if not isinstance(some_list, (list, tuple)):
        return some_list
    texts = [str(item) for item in some_list]
    if len(texts) < 2:
        return texts[0] if texts else ""
    if add_quotes:
        texts = ["'" + t + "'" for t in texts]
    return pattern.format(", ".join(texts[:-1]), texts[-1])


def comma_and(some_list, add_quotes=True):
    return comma_sep(some_list, "{0} and {1}", add_quotes)


def comma_or(some_list, add_quotes=True):
    return comma_sep(some_list, "{0} or {1}", add_quotes)


def new_line_sep(some_list):
    # The ERP's new_line_sep: a list or tuple's items as str() joined by a line break and a
    # space; anything else comes back as it is.
    if not isinstance(some_list, (list, tuple)):
        return some_list
    return "\n ".join(str(item) for item in some_list)


def add_to_date(date, years=0, months=0, weeks=0, days=0, hours=0, minutes=0, seconds=0,
                as_string=False, as_datetime=False):
    # The ERP's add_to_date, its dateutil relativedelta written with calendar and timedelta:
    # years and months first (whole numbers; the day kept, or the month's last when it has
    # fewer), then the rest; a text gives a text, a timestamp when it has a space, hours are
    # added or as_datetime is true; None is now, given back as a datetime unless as_string.
    if years != int(years) or months != int(months):
        raise ValueError("Non-integer years and months are ambiguous and not currently supported.")
    if date is None:
        date = NOW
    as_datetime = as_datetime or bool(hours)
    if isinstance(date, str):
        as_string, as_datetime = True, as_datetime or " " in date
        date = datetime.datetime.fromisoformat(date)
    d = date
    carry, month = divmod(d.month - 1 + 12 * int(years) + int(months), 12)
    year = d.year + carry
    d = d.replace(year=year, month=month + 1, day=min(d.day, calendar.monthrange(year, month + 1)[1]))
    d += datetime.timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes, seconds=seconds)
    if not as_string:
        return d
    return d.strftime("%Y-%m-%d %H:%M:%S.%f" if as_datetime else "%Y-%m-%d")


def add_days(date, days):
    return add_to_date(date, days=days)


def add_months(date, months):
    return add_to_date(date, months=months)


# NOW is the time walnotify's side of the oracle evaluates and renders at (rules/oracle_test.go),
# the site's now_datetime(); TODAY its day.
NOW = datetime.datetime(2026, 11, 29, 10, 0)
TODAY = NOW.date()


def now():
    # The ERP's now: now_datetime() with microseconds, as text.
    return NOW.strftime("%Y-%m-%d %H:%M:%S.%f")


def nowdate():
    # The ERP's nowdate (and today): the site's date as text.
    return TODAY.isoformat()


def getdate(string_date=None):
    # The ERP's getdate of a date or of a text date: today for a false value (None, ""), None
    # for what is not text and for the empty dates 0000-00-00 and 0001-01-01.
    d = string_date
    if not d:
        return TODAY
    if isinstance(d, datetime.datetime):
        return d.date()
    if isinstance(d, datetime.date):
        return d
    if not isinstance(d, str) or d.startswith(("0001-01-01", "0000-00-00")):
        return None
    return datetime.date.fromisoformat(d[:10])


def date_diff(string_ed_date, string_st_date):
    return (getdate(string_ed_date) - getdate(string_st_date)).days


def get_datetime(datetime_str=None):
    # The ERP's get_datetime of a date or a text timestamp: a date at midnight; now for None;
    # None for what is not text, for "" and for the empty dates 0000-00-00 and 0001-01-01.
    d = datetime_str
    if d is None:
        return NOW
    if isinstance(d, datetime.datetime):
        return d
    if isinstance(d, datetime.date):
        return datetime.datetime.combine(d, datetime.time())
    if not isinstance(d, str) or not d or d.startswith(("0000-00-00", "0001-01-01")):
        return None
    return datetime.datetime.fromisoformat(d)


def pretty_date(iso_datetime):
    # The ERP's pretty_date: how long before now, in whole seconds as a timedelta's days and
    # seconds, in its words. A document's timestamp is a datetime there; here a text is one.
    if not iso_datetime:
        return ""
    if isinstance(iso_datetime, str):  # a Date column's value is a date, a Datetime's a datetime
        parse = datetime.date if len(iso_datetime) == 10 else datetime.datetime
        iso_datetime = parse.fromisoformat(iso_datetime)
    diff = NOW - iso_datetime
    seconds = diff.days * 86400.0 + diff.seconds
    days = math.floor(seconds / 86400.0)
    if seconds < 60.0:
        return "just now"
    if seconds < 120.0:
        return "1 minute ago"
    if seconds < 3600.0:
        return "{0} minutes ago".format(int(math.floor(seconds / 60.0)))
    if seconds < 7200.0:
        return "1 hour ago"
    if seconds < 86400.0:
        return "{0} hours ago".format(int(math.floor(seconds / 3600.0)))
    if days == 1.0:
        return "Yesterday"
    if days < 7.0:
        return "{0} days ago".format(int(days))
    if days < 14:
        return "1 week ago"
    if days < 31.0:
        return "{0} weeks ago".format(days // 7)
    if days < 61.0:
        return "1 month ago"
    if days < 365.0:
        return "{0} months ago".format(days // 30)
    if days < 730.0:
        return "1 year ago"
    return f"{int(math.floor(days / 365.0))} years ago"


def nowtime():
    # The ERP's nowtime: the time of day with microseconds; the cases check its shape only.
    return datetime.datetime.now().strftime("%H:%M:%S.%f")


def global_date_format(date, format="long"):
    # The ERP's global_date_format on an English site: getdate, then Babel's format_date in the
    # "en" locale, whose named formats are written here with strftime's English names.
    d = getdate(date)
    return {"short": f"{d.month}/{d.day}/{d:%y}", "medium": f"{d:%b} {d.day}, {d.year}",
            "long": f"{d:%B} {d.day}, {d.year}", "full": f"{d:%A}, {d:%B} {d.day}, {d.year}"}[format]


def time_diff_in_hours(string_ed_date, string_st_date):
    seconds = (get_datetime(string_ed_date) - get_datetime(string_st_date)).total_seconds()
    return round(float(seconds) / 3600, 6)


def get_first_day(dt, d_years=0, d_months=0):
    # The ERP's get_first_day: a date, the month's first, moved by years and months.
    dt = getdate(dt)
    carry, month = divmod(dt.month + d_months - 1, 12)
    return datetime.date(dt.year + d_years + carry, month + 1, 1)


def get_last_day(dt):
    # The ERP's get_last_day: the first day of the next month, less a day.
    return get_first_day(dt, 0, 1) - datetime.timedelta(days=1)


def add_years(date, years):
    return add_to_date(date, years=years)


def month_diff(string_ed_date, string_st_date):
    # The ERP's month_diff: the months from the start's to the end's, both counted.
    ed_date, st_date = getdate(string_ed_date), getdate(string_st_date)
    return (ed_date.year - st_date.year) * 12 + ed_date.month - st_date.month + 1


def time_diff_in_seconds(string_ed_date, string_st_date):
    return (get_datetime(string_ed_date) - get_datetime(string_st_date)).total_seconds()


def get_weekday(datetime=None):
    # The ERP's get_weekday: of a date or datetime (a str has no weekday()), now when false.
    if not datetime:
        datetime = NOW
    return ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][datetime.weekday()]


def get_year_start(dt, as_str=False):
    d = datetime.date(getdate(dt).year, 1, 1)
    return d.strftime("%Y-%m-%d") if as_str else d


def get_year_ending(date):
    # The ERP's get_year_ending: January 1 plus twelve months, less a day, through add_to_date
    # on text, so a text.
    date = getdate(date)
    return add_to_date(add_to_date(f"{date.year}-01-01", months=12), days=-1)


def get_quarter_start(dt, as_str=False):
    date = getdate(dt)
    d = datetime.date(date.year, (date.month - 1) // 3 * 3 + 1, 1)
    return d.strftime("%Y-%m-%d") if as_str else d


def get_quarter_ending(date):
    # The ERP's get_quarter_ending: the first quarter's last day on or after the date (the
    # ERP reads f"{year}-{month}-01" with dateutil; a date is the same here).
    date = getdate(date)
    for month in (3, 6, 9, 12):
        quarter_end_date = get_last_day(datetime.date(date.year, month, 1))
        if date <= quarter_end_date:
            date = quarter_end_date
            break
    return date


# System Settings' first_day_of_the_week, Sunday by default; a case sets it with its document's
# "__first_day_of_the_week".
first_day_of_the_week = ["Sunday"]


def get_first_day_of_week(dt, as_str=False):
    # The ERP's get_first_day_of_week: the weekday indexes count from Sunday (0), as its
    # get_normalized_weekday_index and get_first_day_of_the_week_index do.
    dt = getdate(dt)
    days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    current_day_index, start_of_week_index = (dt.weekday() + 1) % 7, days.index(first_day_of_the_week[0])
    if current_day_index >= start_of_week_index:
        offset = current_day_index - start_of_week_index
    else:
        offset = 7 - (start_of_week_index - current_day_index)
    d = dt - datetime.timedelta(days=offset)
    return d.strftime("%Y-%m-%d") if as_str else d


def get_last_day_of_week(dt):
    return get_first_day_of_week(dt) + datetime.timedelta(days=6)


def floor(s):
    try:
        return cint(math.floor(flt(s)))
    except Exception:
        return 0


def ceil(s):
    try:
        return cint(math.ceil(flt(s)))
    except Exception:
        return 0


def has_common(l1, l2):
    return set(l1) & set(l2)


def is_html(text):
    # The ERP's is_html: the match of a tag, None without one, False for what is not text.
    if not isinstance(text, str):
        return False
    return re.search("<[^>]+>", text)


def time_diff(string_ed_date, string_st_date):
    return get_datetime(string_ed_date) - get_datetime(string_st_date)


def format_duration(seconds, hide_days=False):
    # The ERP's format_duration: cint(seconds) in days, hours, minutes and seconds, the parts
    # that are not zero; the days (or, hiding them, the hours) by a float division's floor.
    seconds = cint(seconds)
    days, hours = math.floor(seconds / 86400), math.floor(seconds % 86400 / 3600)
    if hide_days:
        days, hours = 0, math.floor(seconds / 3600)
    parts = [(days, "d"), (hours, "h"), (math.floor(seconds % 3600 / 60), "m"), (math.floor(seconds % 60), "s")]
    return " ".join(str(n) + unit for n, unit in parts if n)


def safe_div(numerator, denominator, precision=2):
    precision = cint(precision)
    quotient = 0.0 if denominator == 0 else float(numerator) / denominator
    return flt(quotient, precision)


def remainder(numerator, denominator, precision=2):
    precision = cint(precision)
    if precision:
        scale = 10 ** precision
        value = (numerator * scale) % (denominator * scale) / scale
    else:
        value = numerator % denominator
    return flt(value, precision)


def get_abbr(string, max_len=2):
    # The ERP's get_abbr (data.py): initials of the words split at spaces, "?" for none.
    initials = ""
    for word in string.split(" "):
        if len(initials) < max_len and word:
            initials += word[0]
    return initials or "?"


def is_subset(list_a, list_b):
    return len(set(list_a) & set(list_b)) == len(list_a)


def sbool(x):
    if isinstance(x, str) and x.lower() in ("true", "1", "false", "0"):
        return x.lower() in ("true", "1")
    return x


def cast(fieldtype, value):
    # The ERP's cast, the year 1 for a false date; a text date stays text here, as walnotify's.
    if fieldtype in ("Currency", "Float", "Percent"):
        return flt(value)
    if fieldtype in ("Int", "Check"):
        return cint(sbool(value))
    if fieldtype in ("Data", "Text", "Small Text", "Long Text", "Text Editor", "Select", "Link", "Dynamic Link"):
        return cstr(value)
    if fieldtype == "Date":
        return getdate(value) if value else datetime.date(1, 1, 1)
    if fieldtype == "Datetime":
        return get_datetime(value) if value else datetime.datetime(1, 1, 1)
    return value


COMPARISONS = {
    "^": lambda a, b: (a or "").startswith(b),
    "in": lambda a, b: a in b,
    "not in": lambda a, b: a not in b,
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    ">": lambda a, b: a > b,
    "<": lambda a, b: a < b,
    ">=": lambda a, b: a >= b,
    "<=": lambda a, b: a <= b,
    "not None": lambda a, b: bool(a),
    "None": lambda a, b: not a,
}


def compare(val1, condition, val2, fieldtype=None):
    if fieldtype:
        val1, val2 = cast(fieldtype, val1), cast(fieldtype, val2)
    if condition in COMPARISONS:
        return COMPARISONS[condition](val1, val2)
    return False


# The site as in_words and money_in_words read it: frappe.local.lang, the "currency" default,
# the number_format default and the Currency records; a case sets them with its document's
# "__language", "__currency", "__number_format" and "__currencies".
site = {"lang": "en", "currency": None, "number_format": None, "currencies": {}}

# The decimals of each of the ERP's number formats (get_number_format_info); 2 for another.
FORMAT_DECIMALS = {"#,###.##": 2, "#.###,##": 2, "# ###.##": 2, "# ###,##": 2, "#'###.##": 2, "#, ###.##": 2,
                   "#,##,###.##": 2, "#,###.###": 3, "#.###": 0, "#,###": 0, "#.########": 8}


def in_words(integer, in_million=True):
    # The ERP's in_words: num2words of int(integer) in the site's language, Indian English when
    # not in millions, English when num2words has no such language or cannot name the number;
    # hyphens as spaces.
    language = site["lang"] if in_million else "en_IN"
    integer = int(integer)
    try:
        words = num2words(integer, lang=language)
    except (NotImplementedError, OverflowError):
        words = num2words(integer, lang="en")
    return words.replace("-", " ")


def money_in_words(number, main_currency=None, fraction_currency=None):
    # The ERP's money_in_words (Frappe 15): "" for what float() refuses with a ValueError and
    # for a negative number; the whole part and the decimals (as many as the currency's number
    # format has) in words, title-cased, with the currency and its fraction's name.
    try:
        number = float(number)
    except ValueError:
        return ""
    if number < 0:
        return ""
    main_currency = main_currency or site["currency"] or "INR"
    record = site["currencies"].get(main_currency, {})
    fraction_currency = fraction_currency or record.get("fraction") or "Cent"
    number_format = record.get("number_format") or site["number_format"] or "#,###.##"
    whole, _, fraction = ("%.*f" % (FORMAT_DECIMALS.get(number_format, 2), number)).partition(".")
    fraction = fraction or "00"
    in_million = number_format != "#,##,###.##"
    if whole == "0" and fraction in ("00", "000"):
        words = main_currency + " Zero"
    elif whole == "0":
        words = in_words(fraction, in_million).title() + " " + fraction_currency
    else:
        words = main_currency + " " + in_words(whole, in_million).title()
        if int(fraction):
            words += " and " + in_words(fraction, in_million).title() + " " + fraction_currency
    return words + " only."


def formatdate(string_date=None, format_string=None):
    # The ERP's formatdate on an English site with the date format walnotify takes by default,
    # dd-mm-yyyy (Babel's dd-MM-yyyy, written here with strftime); the oracle has no Babel for
    # another format.
    if not string_date:
        return ""
    if format_string:
        raise NotImplementedError("the oracle writes the default date format only")
    return getdate(string_date).strftime("%d-%m-%Y")


def format_datetime(datetime_string, format_string=None):
    # The ERP's format_datetime on an English site with the default date and time formats,
    # dd-mm-yyyy HH:mm:ss; None for a false value.
    if not datetime_string:
        return None
    if format_string:
        raise NotImplementedError("the oracle writes the default formats only")
    return get_datetime(datetime_string).strftime("%d-%m-%Y %H:%M:%S")


def format_time(time_string=None, format_string=None):
    # The ERP's format_time with the default time format, HH:mm:ss; its get_time reads the text
    # with dateutil, which the oracle has not: fromisoformat takes the cases' times.
    if not time_string:
        return ""
    try:
        t = datetime.time.fromisoformat(time_string)
    except ValueError:
        t = datetime.datetime.fromisoformat(time_string).time()
    return t.strftime("%H:%M:%S")


def fmt_money(amount, precision=None, currency=None, format=None):
    # The ERP's fmt_money (frappe/utils/data.py), the site's number format and Currency records
    # as the case gives them (site), no currency precision set.
    number_format = format or site["number_format"] or "#,###.##"
    decimal_str, comma_str, number_format_precision = NUMBER_FORMAT_INFO.get(number_format) or (".", ",", 2)
    if precision is None:
        precision = number_format_precision
    if isinstance(amount, str):
        amount = flt(amount, precision)
    if amount is None:
        amount = 0
    record = site["currencies"].get(currency, {}) if currency else {}
    if decimal_str:
        decimals_after = str(round(amount % 1, precision))
        parts = decimals_after.split(".")
        decimals = parts[1] if len(parts) > 1 else parts[0]
        if precision > 2:
            if len(decimals) < 3:
                if currency:
                    precision = len(cstr(record.get("fraction_units") or 100)) - 1
                else:
                    precision = number_format_precision
            elif len(decimals) < precision:
                precision = len(decimals)
    amount = "%.*f" % (precision, round(flt(amount), precision))
    decimals = "" if amount.find(".") == -1 else amount.split(".")[1]
    parts = []
    minus = "-" if flt(amount) < 0 else ""
    amount = cstr(abs(flt(amount))).split(".", 1)[0]
    if len(amount) > 3:
        parts.append(amount[-3:])
        amount = amount[:-3]
        val = number_format == "#,##,###.##" and 2 or 3
        while len(amount) > val:
            parts.append(amount[-val:])
            amount = amount[:-val]
    parts.append(amount)
    parts.reverse()
    amount = comma_str.join(parts) + ((precision and decimal_str) and (decimal_str + decimals) or "")
    if amount != "0":
        amount = minus + amount
    if currency:
        symbol = record.get("symbol") or currency
        if record.get("symbol_on_right"):
            amount = f"{amount} {symbol}"
        else:
            amount = f"{symbol} {amount}"
    return amount


NUMBER_FORMAT_INFO = {"#,###.##": (".", ",", 2), "#.###,##": (",", ".", 2), "# ###.##": (".", " ", 2),
                      "# ###,##": (",", " ", 2), "#'###.##": (".", "'", 2), "#, ###.##": (".", ", ", 2),
                      "#,##,###.##": (".", ",", 2), "#,###.###": (".", ",", 3), "#.###": ("", ".", 0),
                      "#,###": ("", ",", 0), "#.########": (".", "", 8)}


def get_field_precision(df, doc=None):
    # The ERP's get_field_precision (frappe/model/meta.py): the field's, else the site's
    # currency precision (none set here) or its number format's for a Currency field, else the
    # float precision, 3 by default.
    if df.precision:
        return cint(df.precision)
    if df.fieldtype == "Currency":
        return (NUMBER_FORMAT_INFO.get(site["number_format"] or "#,###.##") or (".", ",", 2))[2]
    return 3


def get_field_currency(df, doc=None):
    # The ERP's get_field_currency: the document's field the options name (an options of the
    # form Doctype:field:field reads another table, which the cases do not).
    if not df.get("options") or not doc:
        return None
    return doc.get(df.get("options"))


BLOCK_TAGS_PATTERN = re.compile(r"(<br|<div|<p)")


def format_value(value, df=None, doc=None, currency=None, translated=False, format=None):
    # The ERP's format_value (frappe/utils/formatters.py), for the field types walnotify
    # formats; dates are text here, so a text is never guessed as one.
    if isinstance(df, str):
        df = _dict(fieldtype=df)
    if not df:
        df = _dict()
        if isinstance(value, int):
            df.fieldtype = "Int"
        elif isinstance(value, float):
            df.fieldtype = "Float"
        else:
            df.fieldtype = "Data"
    elif isinstance(df, dict):
        df = _dict(df)
    if value is None:
        value = ""
    if not df:
        return value
    elif df.get("fieldtype") == "Date":
        return formatdate(value)
    elif df.get("fieldtype") == "Datetime":
        return format_datetime(value)
    elif value == 0 and df.get("fieldtype") in ("Int", "Float", "Currency", "Percent") and df.get("print_hide_if_no_value"):
        return ""
    elif df.get("fieldtype") == "Currency":
        default_currency = site["currency"]
        currency = currency or get_field_currency(df, doc) or default_currency
        return fmt_money(value, precision=get_field_precision(df, doc), currency=currency, format=format)
    elif df.get("fieldtype") == "Float":
        precision = get_field_precision(df, doc)
        currency = currency or get_field_currency(df, doc)
        if not df.options and value is not None:
            temp = cstr(value).split(".")
            if len(temp) == 1 or cint(temp[1]) == 0:
                precision = 0
        return fmt_money(value, precision=precision, currency=currency)
    elif df.get("fieldtype") == "Percent":
        return f"{flt(value, 2)}%"
    elif df.get("fieldtype") == "Time":
        return format_time(value)
    elif df.get("fieldtype") == "Duration":
        return format_duration(value, df.hide_days)
    elif df.get("fieldtype") in ("Text", "Small Text"):
        if not BLOCK_TAGS_PATTERN.search(value):
            return value.replace("\n", "<br>")
    elif df.get("fieldtype") == "Text Editor":
        return f"<div class='ql-snow'>{value}</div>"
    return value


utils = _dict(pretty_date=pretty_date, flt=flt, cint=cint, cstr=cstr, rounded=rounded, strip_html=strip_html, escape_html=escape_html,
              comma_and=comma_and, comma_or=comma_or, comma_sep=comma_sep, new_line_sep=new_line_sep, add_days=add_days, add_months=add_months, add_to_date=add_to_date, get_datetime=get_datetime, nowtime=nowtime,
              global_date_format=global_date_format,
              get_first_day=get_first_day, get_last_day=get_last_day, date_diff=date_diff,
              time_diff_in_hours=time_diff_in_hours, nowdate=nowdate, today=nowdate, getdate=getdate,
              now=now, add_years=add_years, month_diff=month_diff, time_diff_in_seconds=time_diff_in_seconds,
              get_weekday=get_weekday, get_year_start=get_year_start, get_year_ending=get_year_ending,
              get_quarter_start=get_quarter_start, get_quarter_ending=get_quarter_ending,
              get_first_day_of_week=get_first_day_of_week, get_last_day_of_week=get_last_day_of_week,
              floor=floor, ceil=ceil, has_common=has_common, is_html=is_html,
              in_words=in_words, money_in_words=money_in_words, time_diff=time_diff, format_duration=format_duration,
              safe_div=safe_div, remainder=remainder, get_abbr=get_abbr, is_subset=is_subset, compare=compare,
              fmt_money=fmt_money, formatdate=formatdate, format_date=formatdate, format_datetime=format_datetime,
              now_datetime=lambda: NOW)
def bold(text):
    # The ERP's frappe.bold.
    return f"<strong>{text}</strong>"


frappe = _dict(utils=utils, _=lambda s, *a, **k: s, flt=flt, cint=cint, bold=bold, format_date=global_date_format,
               format_value=format_value, format=format_value)


def condition(src, doc):
    return bool(condition_value(src, doc))


def condition_value(src, doc):
    """The condition's value itself, before the ERP takes its truth."""
    g = {"__builtins__": {}, "int": int, "float": float, "long": int, "round": round, "len": len,
         "True": True, "False": False, "None": None}
    # safe_eval refuses the attribute format (its UNSAFE_ATTRIBUTES), so frappe.format is none
    # of a condition's; the oracle guards no other attribute (str.format: see the README).
    scope = {"doc": doc, "nowdate": nowdate, "frappe": _dict({k: v for k, v in frappe.items() if k != "format"})}
    try:
        # safe_eval reads the expression NFKC-normalised.
        code = compile(unicodedata.normalize("NFKC", src), "<condition>", "eval")
    except SyntaxError:
        # Dokos' safe_block_eval: statements are the body of a function, whose value is the
        # condition's.
        body = "def _condition():\n" + "".join("    " + line + "\n" for line in src.splitlines())
        g.update(scope)
        exec(compile(body, "<condition>", "exec"), g)
        return g["_condition"]()
    return eval(code, g, scope)


env = SandboxedEnvironment(undefined=DebugUndefined)
def json_handler(obj):
    # The ERP's frappe.utils.response.json_handler: a Document as its as_dict(no_nulls=True).
    if isinstance(obj, Document):
        return {k: v for k, v in obj.__dict__.items() if v is not None and k != "_doc_before_save"}
    return str(obj)


def as_json(obj, indent=1, separators=None):
    # The ERP's frappe.as_json, its Jinja filter json.
    return json.dumps(obj, indent=indent, sort_keys=True, default=json_handler, separators=separators or (",", ": "))


env.filters.update({"json": as_json, "len": len, "int": cint, "str": cstr, "flt": flt})
env.globals.update({"frappe": frappe, "_": frappe._, "nowdate": nowdate, "as_json": as_json,
                    "json": _dict(loads=json.loads, dumps=json.dumps)})


def template(src, doc):
    # The ERP's Notification: json.loads of _comments, its comments plain dicts.
    comments = json.loads(doc.get("_comments")) if doc.get("_comments") else None
    return env.from_string(src).render(doc=doc, comments=comments, alert=None)


def main():
    out = []
    for case in json.load(sys.stdin):
        raw = json.loads(case.get("doc") or "{}")
        before = raw.pop("__before", None)
        first_day_of_the_week[0] = raw.pop("__first_day_of_the_week", "Sunday")
        site.update(lang=raw.pop("__language", "en"), currency=raw.pop("__currency", None),
                    number_format=raw.pop("__number_format", None), currencies=raw.pop("__currencies", {}))
        # A template's document lacks what the ERP's lacks (TemplateDocument); a condition's
        # gives None for it.
        kind = TemplateDocument if case["kind"] == "template" else True
        doc = wrap(raw, document=kind)
        if before is not None:
            doc._doc_before_save = wrap(before, document=kind)
        try:
            if case["kind"] == "condition":
                out.append({"ok": True, "value": condition(case["src"], doc)})
            elif case["kind"] == "condition-repr":
                # The generated conditions' value, as repr prints it.
                out.append({"ok": True, "value": "%r" % (condition_value(case["src"], doc),)})
            else:
                out.append({"ok": True, "value": template(case["src"], doc)})
        except Exception as e:  # noqa: BLE001 - every failure is a result
            out.append({"ok": False, "error": "%s: %s" % (type(e).__name__, e)})
    json.dump(out, sys.stdout)


main()
