"""The user-facing sentences of the framework layer, in every language the platform speaks (English, French).

A refusal is raised or returned as a *code* and *params*; :func:`message` renders it in one language. The
English text is the one kept in ``InvalidAnswer.reason`` and written to logs; a page renders the person's own
language with :meth:`icc.framework.answers.InvalidAnswer.reason_in`, and the spreadsheet import writes its
problems in the language the file is read in. One catalogue, :data:`MESSAGES`, holds both languages side by side
(the same habit as the framework files' translated texts), so a sentence and its translation cannot drift apart.

Params are plain values: a ``str`` is inserted as is (use ``{name!r}`` in a template to quote it, and for what
the person typed), an ``int`` is written with the language's digit grouping (``10,000`` / ``10 000``), a
``Decimal`` or ``float`` as a number to read in the language (:func:`format_number_to_read`: ``1,000.5`` /
``1 000,5``), and a translated text (``{"en": ..., "fr": ...}``) is written in the language, falling back to
English. So a sentence is put together when it is shown, in the language of the page or file that shows it.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Context, Decimal

from .schema import text_in

LANGUAGES = ("en", "fr")

MESSAGES: dict[str, dict[str, str]] = {
    # --- answers ----------------------------------------------------------------------------------------------
    "not_an_option": {
        "en": "{text!r} is not an option; choose one of: {choices}, or dont_know",
        "fr": "{text!r} n'est pas une option ; choisissez parmi : {choices}, ou dont_know",
    },
    "not_an_option_multiple": {
        "en": "{text!r} is not an option; choose any of: {choices} (separated by ;), or dont_know",
        "fr": "{text!r} n'est pas une option ; choisissez parmi : {choices} (séparées par ;), ou dont_know",
    },
    "dont_know_combined": {
        "en": "dont_know cannot be combined with other options",
        "fr": "dont_know ne peut pas être combiné avec d'autres options",
    },
    "exclusive_combined": {
        "en": "“{option}” cannot be combined with other options: choose it alone, or untick it",
        "fr": "l'option « {option} » ne peut pas être combinée avec d'autres options : choisissez-la seule, "
        "ou décochez-la",
    },
    "not_a_number": {
        "en": "{text!r} is not a number",
        "fr": "{text!r} n'est pas un nombre",
    },
    "not_a_number_plain": {
        "en": "{text} is not a number",
        "fr": "{text} n'est pas un nombre",
    },
    "not_a_number_spaces": {
        "en": "{text!r} is not a number: a space may only separate groups of three digits, as in 1 234 567",
        "fr": "{text!r} n'est pas un nombre : une espace ne peut séparer que des groupes de trois chiffres, comme "
        "dans 1 234 567",
    },
    "not_a_number_exponent": {
        "en": "{text!r} is not a number here: write it in full, without an exponent (e.g. 1500000, not 1.5e6)",
        "fr": "{text!r} n'est pas accepté ici : écrivez le nombre en entier, sans exposant (par ex. 1500000 et "
        "non 1.5e6)",
    },
    "formula": {
        "en": "{text!r} is a formula: type the value itself",
        "fr": "{text!r} est une formule : saisissez la valeur elle-même",
    },
    "not_finite": {
        "en": "{text} is not a finite number",
        "fr": "{text} n'est pas un nombre fini",
    },
    "number_too_long": {
        "en": "this number is {length} characters long; a number has at most {limit}",
        "fr": "ce nombre compte {length} caractères ; un nombre en compte au plus {limit}",
    },
    "number_too_large": {
        "en": "{text} is too large: a number here is at most {limit} in size",
        "fr": "{text} est trop grand : un nombre ne dépasse pas ici {limit} en valeur absolue",
    },
    "ambiguous_number": {
        "en": "{text!r} is ambiguous: write {whole} (or {spaced}) for a whole number, or {decimal} for a decimal one",
        "fr": "{text!r} est ambigu : écrivez {whole} (ou {spaced}) pour un nombre entier, ou {decimal} pour un "
        "nombre décimal",
    },
    "below_minimum": {
        "en": "{value} is below the minimum {limit}{unit}",
        "fr": "{value} est inférieur au minimum {limit}{unit}",
    },
    "above_maximum": {
        "en": "{value} is above the maximum {limit}{unit}",
        "fr": "{value} est supérieur au maximum {limit}{unit}",
    },
    "text_too_long": {
        "en": "this text is {length} characters long; the limit is {limit}",
        "fr": "ce texte compte {length} caractères ; la limite est de {limit}",
    },
    "not_a_link": {
        "en": "{text!r} is not a web address: write one link per line, each starting with http:// or https:// "
        "(a space inside a link is written %20)",
        "fr": "{text!r} n'est pas une adresse web : écrivez un lien par ligne, chacun commençant par http:// ou "
        "https:// (une espace dans un lien s'écrit %20)",
    },
    "link_scheme": {
        "en": "{text!r} is not a web address: a link starts with http:// or https://",
        "fr": "{text!r} n'est pas une adresse web : un lien commence par http:// ou https://",
    },
    # reading CSV tables of answers and facts (icc.framework.answer_table)
    "csv_empty": {
        "en": "the file is empty: its first line must name the columns {columns}",
        "fr": "le fichier est vide : sa première ligne doit nommer les colonnes {columns}",
    },
    "csv_not_utf8": {
        "en": "this line is not UTF-8 text: save the file as “CSV UTF-8”",
        "fr": "cette ligne n'est pas du texte UTF-8 : enregistrez le fichier au format « CSV UTF-8 »",
    },
    "csv_unreadable": {
        "en": "the file cannot be read as CSV from here on: {error}",
        "fr": "le fichier ne peut pas être lu comme CSV à partir d'ici : {error}",
    },
    "csv_columns_missing": {
        "en": "missing column(s) {missing}; the file has {present}",
        "fr": "colonne(s) manquante(s) {missing} ; le fichier a {present}",
    },
    "csv_semicolons": {
        "en": "the columns seem separated by ; — separate them by commas (keep ; between the options of one answer)",
        "fr": "les colonnes semblent séparées par des ; — séparez-les par des virgules (gardez les ; entre les "
        "options d'une réponse)",
    },
    "csv_column_twice": {
        "en": "column {column!r} appears twice in the header (columns {first} and {second})",
        "fr": "la colonne {column!r} apparaît deux fois dans l'en-tête (colonnes {first} et {second})",
    },
    "csv_cells": {
        "en": "this row has {count} cells but the header names {expected} columns (quote a cell that holds a "
        'comma: "a, b")',
        "fr": "cette ligne a {count} cellules mais l'en-tête nomme {expected} colonnes (mettez entre guillemets "
        'une cellule qui contient une virgule : "a, b")',
    },
    "csv_no_rows": {
        "en": "the file has no answers: only its header line",
        "fr": "le fichier n'a aucune réponse : seulement sa ligne d'en-tête",
    },
    "cell_empty": {
        "en": "the {column} is empty",
        "fr": "la colonne {column} est vide",
    },
    "edition_not_a_year": {
        "en": "{text!r} is not an edition: write the year of the edition, e.g. 2019",
        "fr": "{text!r} n'est pas une édition : écrivez l'année de l'édition, par ex. 2019",
    },
    "answer_twice": {
        "en": "question {qid!r} of {city} {edition} is answered twice (first on line {line})",
        "fr": "la question {qid!r} de {city} {edition} a deux réponses (la première à la ligne {line})",
    },
    "facts_twice": {
        "en": "the facts of {key} are given twice (first on line {line})",
        "fr": "les données de {key} sont données deux fois (d'abord à la ligne {line})",
    },
    "option_repeated": {
        "en": "“{option}” is chosen twice: choose each option once",
        "fr": "l'option « {option} » est choisie deux fois : choisissez chaque option une seule fois",
    },
    "links_refused": {
        "en": "{count} links are not accepted: {reasons}",
        "fr": "{count} liens ne sont pas acceptés : {reasons}",
    },
    "link_credentials": {
        "en": "{text!r} holds a user name or password (before @): remove it",
        "fr": "{text!r} contient un nom d'utilisateur ou un mot de passe (avant @) : retirez-le",
    },
    "link_characters": {
        "en": '{text!r} holds a character that a link cannot hold (\\, <, > or ")',
        "fr": "{text!r} contient un caractère qu'un lien ne peut pas contenir (\\, <, > ou \")",
    },
    "link_too_long": {
        "en": "the link {text!r}… is {length} characters long; a link has at most {limit}",
        "fr": "le lien {text!r}… compte {length} caractères ; un lien en compte au plus {limit}",
    },
    "too_many_links": {
        "en": "{count} links: at most {limit} links are kept per answer",
        "fr": "{count} liens : une réponse garde au plus {limit} liens",
    },
    # --- the spreadsheet of a response ----------------------------------------------------------------------
    "file_too_large": {
        "en": "the file is larger than {limit} MB: a questionnaire file is far smaller; export it again from the "
        "platform",
        "fr": "le fichier dépasse {limit} Mo : un fichier de questionnaire est bien plus petit ; exportez-le à "
        "nouveau depuis la plateforme",
    },
    "not_a_zip": {
        "en": "not an XLSX workbook (an .xlsx file is a zip archive; save the file as Excel workbook .xlsx)",
        "fr": "ce n'est pas un classeur XLSX (un fichier .xlsx est une archive zip ; enregistrez le fichier au "
        "format classeur Excel .xlsx)",
    },
    "unzipped_too_large": {
        "en": "the workbook unpacks to more than {limit} MB: it holds far more than a questionnaire",
        "fr": "le classeur décompressé dépasse {limit} Mo : il contient bien plus qu'un questionnaire",
    },
    "too_many_parts": {
        "en": "the workbook holds {count} parts (at most {limit}): it is not a questionnaire file",
        "fr": "le classeur contient {count} parties (au plus {limit}) : ce n'est pas un fichier de questionnaire",
    },
    "compression_ratio": {
        "en": "the workbook unpacks to {ratio} times its size (at most {limit}): it is refused as a zip bomb",
        "fr": "le classeur décompressé fait {ratio} fois sa taille (au plus {limit}) : il est refusé comme bombe zip",
    },
    "xml_forbidden": {
        "en": "the workbook uses XML entities or external references, which are not allowed",
        "fr": "le classeur utilise des entités XML ou des références externes, qui ne sont pas autorisées",
    },
    "xml_malformed": {
        "en": "the workbook is damaged: its XML is not well formed ({detail})",
        "fr": "le classeur est endommagé : son XML est mal formé ({detail})",
    },
    "unreadable": {
        "en": "not a readable XLSX workbook ({detail})",
        "fr": "ce n'est pas un classeur XLSX lisible ({detail})",
    },
    "too_slow": {
        "en": "the workbook took more than {limit} seconds to read: it is far larger than a questionnaire",
        "fr": "la lecture du classeur a pris plus de {limit} secondes : il est bien plus grand qu'un questionnaire",
    },
    "too_many_rows": {
        "en": "the sheet has more than {limit} rows: delete the rows below the last one in use",
        "fr": "la feuille a plus de {limit} lignes : supprimez les lignes sous la dernière utilisée",
    },
    "more_problems": {
        "en": "… and {count} more problems ({total} in all): fix these first",
        "fr": "… et {count} autres problèmes ({total} en tout) : corrigez d'abord ceux-ci",
    },
    "sheet_missing": {
        "en": "sheet {sheet!r} is missing (use a response file exported by the platform)",
        "fr": "la feuille {sheet!r} manque (utilisez un fichier de réponse exporté par la plateforme)",
    },
    "other_response": {
        "en": "this file is the response of {named}, not of {expected}: export the file of {expected} from its "
        "response page (nothing was changed)",
        "fr": "ce fichier est la réponse de {named}, pas de {expected} : exportez le fichier de {expected} depuis la "
        "page de sa réponse (rien n'a été modifié)",
    },
    "sheet_empty": {
        "en": "the sheet is empty: the first row must hold the column headers",
        "fr": "la feuille est vide : la première ligne doit contenir les en-têtes de colonnes",
    },
    "column_missing": {
        "en": "column {column!r} is missing (expected columns: {columns})",
        "fr": "la colonne {column!r} manque (colonnes attendues : {columns})",
    },
    "question_id_empty": {
        "en": "the question id is empty",
        "fr": "l'identifiant de la question est vide",
    },
    "unknown_question": {
        "en": "unknown question {qid!r} (not in framework {framework})",
        "fr": "question inconnue {qid!r} (absente du référentiel {framework})",
    },
    "question_twice": {
        "en": "question {qid!r} appears twice (first in row {row})",
        "fr": "la question {qid!r} apparaît deux fois (d'abord à la ligne {row})",
    },
    "does_not_apply": {
        "en": "question {qid!r} does not apply: it applies only when {parent!r} is {options} (here: {answer}); "
        "leave the answer empty",
        "fr": "la question {qid!r} ne s'applique pas : elle ne s'applique que si {parent!r} vaut {options} (ici : "
        "{answer}) ; laissez la réponse vide",
    },
    "does_not_apply_chain": {
        "en": "question {qid!r} does not apply: it depends on {parent!r}, which does not apply either; leave the "
        "answer empty",
        "fr": "la question {qid!r} ne s'applique pas : elle dépend de {parent!r}, qui ne s'applique pas non plus ; "
        "laissez la réponse vide",
    },
    "does_not_apply_unknown": {
        "en": "question {qid!r} does not apply: it depends on {parent!r}, which is not in the framework",
        "fr": "la question {qid!r} ne s'applique pas : elle dépend de {parent!r}, absente du référentiel",
    },
}
"""code → language → template (``str.format`` syntax)."""

WORDS: dict[str, dict[str, str]] = {
    "or": {"en": " or ", "fr": " ou "},
    "empty": {"en": "empty", "fr": "vide"},
}
"""Small words that params are built from (``yes or partly``)."""


_PRECISE = Context(prec=100)


def format_number(value: Decimal | float) -> str:
    """A number as a plain decimal string without trailing zeros (``12.50`` → ``"12.5"``, ``1e2`` → ``"100"``)."""
    number = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    if number == 0:
        return "0"
    return format(number.normalize(_PRECISE), "f")


def format_number_to_read(value: Decimal | float, language: str = "en") -> str:
    """A number for a person to read (not to type back), thousands grouped in ``language``: ``50000000`` →
    ``"50,000,000"`` (``"50\u00a0000\u00a0000"`` in French, a non-breaking space as Django's French format),
    ``12.5`` → ``"12,5"`` in French.

    >>> format_number_to_read(50000000), format_number_to_read(-1234.5, "fr")
    ('50,000,000', '-1\xa0234,5')
    """
    plain = format_number(value)
    sign, digits = ("-", plain[1:]) if plain.startswith("-") else ("", plain)
    whole, _, fraction = digits.partition(".")
    french = language.startswith("fr")
    whole = f"{int(whole):,}".replace(",", "\u00a0" if french else ",")
    return sign + whole + ((("," if french else ".") + fraction) if fraction else "")


def _group(number: int, language: str) -> str:
    """``12345`` → ``"12,345"`` (English) or ``"12 345"`` (French)."""
    text = f"{number:,}"
    return text.replace(",", " ") if language == "fr" else text


def _param(value: object, language: str) -> object:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return _group(value, language)
    if isinstance(value, (Decimal, float)):
        return format_number_to_read(value, language)
    if isinstance(value, Mapping):
        return text_in(dict(value), language)
    return value


def word(key: str, language: str) -> str:
    """A small word of :data:`WORDS` in ``language`` (English when the language is not known)."""
    forms = WORDS[key]
    return forms.get(language, forms["en"])


def message(code: str, language: str = "en", params: Mapping[str, object] | None = None) -> str:
    """The sentence ``code`` in ``language`` (English when the language is not known), with ``params`` filled in.

    >>> message("text_too_long", "fr", {"length": 12345, "limit": 10000})
    'ce texte compte 12 345 caractères ; la limite est de 10 000'
    >>> message("not_a_number", "de", {"text": "abc"})
    "'abc' is not a number"
    """
    templates = MESSAGES[code]
    template = templates.get(language, templates["en"])
    values = {name: _param(value, language) for name, value in (params or {}).items()}
    return template.format(**values)
