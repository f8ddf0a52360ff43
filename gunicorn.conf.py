# gunicorn reads this file from the directory it starts in (make run, the README's
# deployment). The access log names no address, path value or size: see
# civitas/core/access_log.py for why a stock access log would undo ballot secrecy.
logger_class = "civitas.core.access_log.PrivateAccessLogger"
