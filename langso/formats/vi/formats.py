# Vietnamese number and date formats: 5.349 hộ, 24,71%, 15/03/2024 (Django's own vi module
# sets no digit grouping).
DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "H:i d/m/Y"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
