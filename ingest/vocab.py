"""Namespaces and the controlled keys the parsers use.

The ontology (ontology/*.ttl) defines every fkg: term used here; the keys below
map parser output (plain strings) onto those terms, so parsers never build IRIs.
"""
from __future__ import annotations

FKG = "https://fiscalkg.org/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
QB = "http://purl.org/linked-data/cube#"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
VOID = "http://rdfs.org/ns/void#"
OA = "http://www.w3.org/ns/oa#"
OCDS = "https://standard.open-contracting.org/ontology#"
EPO = "http://data.europa.eu/a4g/ontology#"
SH = "http://www.w3.org/ns/shacl#"
SD = "http://www.w3.org/ns/sparql-service-description#"
OBEU_DIM = "http://data.openbudgets.eu/ontology/dsd/dimension/"
OBEU_MEASURE = "http://data.openbudgets.eu/ontology/dsd/measure/"

PREFIXES = {
    "fkg": FKG, "rdf": RDF, "rdfs": RDFS, "xsd": XSD, "skos": SKOS, "qb": QB,
    "org": ORG, "prov": PROV, "dcterms": DCT, "dcat": DCAT, "void": VOID, "oa": OA,
    "ocds": OCDS, "epo": EPO, "sh": SH, "sd": SD,
    "obeu-dimension": OBEU_DIM, "obeu-measure": OBEU_MEASURE,
}

# Table families of 部门决算 and 部门预算, key -> fkg: local name of the
# qb:DataStructureDefinition individual that the ontology defines.
TABLE_FAMILIES = {
    "income_expenditure_summary": "IncomeExpenditureSummary",   # 收入支出(决算/预算)总表
    "income": "IncomeTable",                                     # 收入(决算/预算)表
    "expenditure": "ExpenditureTable",                           # 支出(决算/预算)表
    "fiscal_summary": "FiscalAppropriationSummary",              # 财政拨款收入支出总表
    "general_budget_expenditure": "GeneralBudgetExpenditure",    # 一般公共预算财政拨款支出表
    "basic_expenditure_economic": "BasicExpenditureEconomic",    # 一般公共预算财政拨款基本支出(明细)表
    "general_budget_economic": "GeneralBudgetEconomic",          # 一般公共预算支出经济分类表 (预算)
    "three_public": "ThreePublicExpenditure",                    # “三公”经费支出表
    "gov_fund": "GovernmentFundTable",                           # 政府性基金预算财政拨款表
    "state_capital": "StateCapitalTable",                        # 国有资本经营预算财政拨款表
    "operating_cost": "OperatingCostTable",                      # 机关运行经费表 (预算)
    "procurement": "ProcurementTable",                           # 政府采购预算表
    "project": "ProjectExpenditureTable",                        # 项目支出表
    "other": "OtherTable",
}

# Fund sources (资金来源 / 收入来源) a column or row can carry.
FUND_SOURCES = {
    "fiscal": "FiscalAppropriation",                 # 财政拨款(收入) in total
    "general_budget": "GeneralPublicBudgetFunds",    # 一般公共预算财政拨款
    "gov_fund": "GovernmentFundBudgetFunds",         # 政府性基金预算财政拨款
    "state_capital": "StateCapitalBudgetFunds",      # 国有资本经营预算财政拨款
    "superior_subsidy": "SuperiorSubsidyIncome",     # 上级补助收入
    "business": "BusinessIncome",                    # 事业收入
    "operating": "OperatingIncome",                  # 经营收入
    "subsidiary": "SubsidiaryRemittanceIncome",      # 附属单位上缴收入
    "other": "OtherIncome",                          # 其他收入
    "carryover": "CarryOverFunds",                   # 年初结转和结余 / 上年结转
    "non_fiscal_balance": "NonFiscalBalanceUsed",    # 使用非财政拨款结余
    "fiscal_special": "FiscalSpecialAccountFunds",   # 财政专户管理资金
    "total": "AllSources",                           # 合计 / 本年收入合计 columns
}

# Expenditure types (支出性质) a column can carry.
EXPENDITURE_TYPES = {
    "total": "AllExpenditure",
    "basic": "BasicExpenditure",              # 基本支出
    "project": "ProjectExpenditure",          # 项目支出
    "personnel": "PersonnelExpenditure",      # 人员经费
    "public": "PublicExpenditure",            # 公用经费
    "remit_superior": "RemittanceToSuperior",  # 上缴上级支出
    "operating": "OperatingExpenditure",      # 经营支出
    "subsidiary_grant": "GrantToSubsidiary",  # 对附属单位补助支出
    "reserve": "ReserveFunds",                # 单位预留机动经费
}

# Items of the “三公” table a column can carry (its header wording is national).
THREE_PUBLIC_ITEMS = {
    "total": "ThreePublicTotal",                  # “三公”经费 合计 / 小计
    "abroad": "OfficialTravelAbroad",             # 因公出国(境)费
    "vehicles": "OfficialVehicles",               # 公务用车购置及运行(维护)费 (小计)
    "vehicle_purchase": "OfficialVehiclePurchase",  # 公务用车购置费
    "vehicle_operation": "OfficialVehicleOperation",  # 公务用车运行(维护)费
    "reception": "OfficialReception",             # 公务接待费
}

# Budget phases (预算阶段).
PHASES = {
    "budget": "InitialBudget",        # 年初预算 / 预算数
    "adjusted": "AdjustedBudget",     # 调整预算 / 调整后预算
    "final": "FinalAccounts",         # 决算 / 决算数 / 实际
}

# What a column's figures measure: amounts in the table's unit, percentages
# (增减%, 决算数为预算数的%) or differences (增减额, 比上年增减). Only amounts are
# summed by checks and queries.
MEASURE_KINDS = {"amount": "Amount", "ratio": "Ratio", "change": "Change"}

# Units of amounts, key -> fkg: unit individual, and the factor to 元.
UNITS = {"万元": ("WanYuan", 10000), "元": ("Yuan", 1), "亿元": ("YiYuan", 100000000)}

# Counted facts of 第一部分 (机构设置, 人员).
COUNT_KINDS = {
    "units_total": "下属单位数",
    "units_admin": "行政单位",
    "units_civil_servant_managed": "参照公务员法管理事业单位",
    "units_full_funded": "全额拨款事业单位",
    "units_partial_funded": "差额拨款事业单位",
    "units_self_funded": "自收自支事业单位",
    "staff_quota": "编制人数",
    "staff_quota_admin": "行政编制",
    "staff_quota_institution": "事业编制",
    "staff_quota_civil_servant_managed": "参照公务员法管理编制",
    "staff_actual": "在职实有人数",
    "staff_actual_admin": "在职行政",
    "staff_actual_institution": "在职事业",
    "staff_actual_civil_servant_managed": "在职参照公务员法管理",
    "retired_total": "离退休人员",
    "retired_lixiu": "离休",
    "retired_tuixiu": "退休",
}
