"""Registry files for the people's pages' tests."""

from __future__ import annotations

# A small registry for the people's pages: three companies (made-up but valid CVR numbers) and an
# activity each for CLEAN and MADE; participations are left for the tests to import.
ORGANISATIONS = (
    "cvr,name,kind,employees,municipality\n"
    "31000009,Alfa ApS,company,12,Aarhus\n"
    "31000076,Beta A/S,company,300,Odense\n"
    "31000149,Gamma ApS,company,8,Esbjerg\n"
)
ACTIVITIES = (
    "cluster,ref,type,title,start_date,funding_dkk,private_cofinancing_dkk\n"
    "clean,W1,workshop,Vand og varme,2023-03-01,100000,20000\n"
    "made,P1,workshop,Robotter,2023-04-01,50000,0\n"
)
PARTICIPATIONS_BAD = (
    "organisation,cluster,activity,role\n31000009,clean,W1,participant\n31000149,clean,W1,boss\n"
)
PARTICIPATIONS_GOOD = PARTICIPATIONS_BAD.replace(",boss", ",participant")
# Members of each cluster (the "member pages" of the tenant tests).
MEMBERSHIPS = (
    "organisation,cluster,from_date\n"
    "31000009,clean,2023-01-01\n"
    "31000076,clean,2023-01-01\n"
    "31000149,made,2023-01-01\n"
)
