"""Files of the problems ledger: evidence is seen by whoever may see the problem (uploads.owners)."""

FILE_OWNERS = [("problems.Problem", "evidence", "problem.view", "")]
