"""The operations the benchmarks send, as the bank portal sends them."""

from __future__ import annotations

# W1: the bank portal's order page, with each order's enterprise.
ORDER_PAGE = (
    "query BankOrders($first: Int!) { loanOrders(first: $first) { totalCount "
    "pageInfo { hasNextPage endCursor } "
    "nodes { id number amount termMonths status submittedAt "
    "enterprise { id name uscc legalRepName address } } } }"
)

# W5: the same page as the marketplace's portal shows it (GW-4): each order's enterprise, its
# credit records (XC-8) and risk flags with their level (XC-9).
CREDIT_ORDER_PAGE = (
    "query BankOrdersWithCredit($first: Int!) { loanOrders(first: $first) { totalCount "
    "pageInfo { hasNextPage endCursor } "
    "nodes { id number amount termMonths status submittedAt "
    "enterprise { id name uscc legalRepName address } "
    "creditRecords { kind value source recordDate activeUntil } "
    "riskLevel riskFlags { code severity record { kind value recordDate } } } } }"
)

# W4: the bank portal's live order status.
ORDER_STATUS = (
    "subscription BankOrderStatus { loanOrderStatusChanged "
    "{ id number status amount termMonths bankReason } }"
)
