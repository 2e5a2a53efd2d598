"""Pure value parsers: dates, amounts, countries and organisations as they are written in reports."""
