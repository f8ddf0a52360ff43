"""Print one closing line adding up the pytest runs: 'N passed, N failed, N skipped'."""

import sys
import xml.etree.ElementTree as ET

passed = failed = skipped = 0
for path in sys.argv[1:]:
    for suite in ET.parse(path).getroot().iter("testsuite"):
        total, fail, err, skip = (
            int(suite.get(key, 0)) for key in ("tests", "failures", "errors", "skipped")
        )
        failed += fail + err
        skipped += skip
        passed += total - fail - err - skip
print(f"{passed} passed, {failed} failed, {skipped} skipped")
