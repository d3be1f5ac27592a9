"""gongkai: government information-disclosure annual reports, validated and published."""

__version__ = "0.1.0"
