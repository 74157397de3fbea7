"""Environmental standards as pure functions: HJ 633 (AQI), GB 3095 (ambient air limits),
GB 3838 (surface water classes). No I/O here: the data service shares this package.

Modules: ``rounding`` (GB/T 8170), ``aqi_tables`` (HJ 633 breakpoints and levels), ``aqi``
(exact scalar IAQI and reports), ``aqi_batch`` (numpy path equal to the scalar one),
``gb3095`` (limits and exceedance multiples), ``water`` (GB 3838 classes and section shares).
"""
