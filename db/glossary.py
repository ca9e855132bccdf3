"""Chinese labels for every code the station stores: the one glossary of the program."""

SEX = {"M": "男", "F": "女"}

ROLES = {"head": "站长", "clerk": "专员"}

# Employment statuses (DOMAIN.md), in the order a clerk expects them.
STATUS = {
    "local": "本地就业",
    "in_province": "县外省内务工",
    "out_province": "省外务工",
    "flexible": "灵活就业",
    "self_employed": "自主创业",
    "unemployed": "失业",
    "willing": "未就业有意愿",
    "no_intention": "无就业意愿",
}
EMPLOYED_STATUSES = ("local", "in_province", "out_province", "flexible", "self_employed")
UNEMPLOYED_STATUSES = ("unemployed", "willing")

GROUP_FLAGS = {
    "poverty_alleviated": "脱贫人口",
    "monitored": "防止返贫监测对象",
    "low_income": "农村低收入人口",
    "rural_disabled": "农村残疾人",
}

EDUCATION = ["", "小学及以下", "初中", "高中", "中专/技校", "大专", "本科及以上"]
HEALTH = ["", "健康", "一般", "较差", "患有慢性病"]

REGISTRATION_KINDS = {"job_seeking": "求职登记", "unemployment": "失业登记"}
REGISTRATION_PLACES = {
    "hukou": "户籍地",
    "residence": "常住地",
    "employment": "就业地",
    "insured": "参保地",
}

SERVICE_KINDS = {
    "guidance": "职业指导",
    "placement": "职业介绍",
    "policy": "政策咨询",
    "training": "培训报名",
    "rights": "维权咨询",
    "other": "其他",
}

LIST_KINDS = {
    "employed": "就业人员清单",
    "unemployed": "失业人员清单",
    "willing": "有意愿外出人员清单",
}

# Field labels used by forms, lists, exports and printouts alike.
PERSON_FIELDS = {
    "name": "姓名",
    "id_number": "公民身份号码",
    "sex": "性别",
    "birth_date": "出生日期",
    "age": "年龄",
    "phone": "手机号",
    "hukou_village": "户籍村",
    "hukou_address": "户籍地址",
    "residence": "常住地",
    "education": "文化程度",
    "skills": "技能/工种",
    "health": "健康状况",
    "disability": "残疾情况",
    "poverty_alleviated": "脱贫人口",
    "monitored": "防止返贫监测对象",
    "low_income": "农村低收入人口",
    "rural_disabled": "农村残疾人",
    "older": "大龄",
    "household_no": "户编号",
    "consent_date": "同意采集日期",
    "current_status": "就业状态",
    "current_status_since": "状态日期",
    "wants_out": "有意愿外出",
    "out_destination": "意向地点",
    "out_work_type": "意向工种",
    "out_expected_wage": "期望月薪（元）",
    "wants_training": "有培训意愿",
    "training_wish": "意向培训",
    "remarks": "备注",
    "employer": "就业单位",
    "work_place": "就业地点",
    "monthly_income": "月收入（元）",
}


def status_label(code: str | None) -> str:
    return STATUS.get(code or "", "未登记")
