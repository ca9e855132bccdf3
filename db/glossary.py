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


# ---- Employers, jobs, referrals and labour export (issue #4) ----

EMPLOYER_FLAGS = {
    "support_workshop": "就业帮扶车间",
    "village_factory": "乡村就业工厂",
    "wage_arrears": "欠薪记录",
}

# 工作地 of a job posting or a labour-export batch, nearest first.
JOB_PLACES = {"local": "本地", "county": "县内", "province": "省内", "out_province": "省外"}

JOB_SOURCES = {"station": "本站", "county": "县就业服务中心", "cooperation": "劳务协作"}

JOB_FLAGS = {"gig": "零工", "older_friendly": "适合大龄"}

REFERRAL_OUTCOMES = {
    "pending": "待反馈",
    "hired": "已录用",
    "rejected": "未录用",
    "no_show": "未报到",
}

TRANSPORT = ["包车", "火车", "高铁", "飞机", "自行前往"]

EMPLOYER_FIELDS = {
    "name": "单位名称",
    "credit_code": "统一社会信用代码",
    "contact_person": "联系人",
    "contact_phone": "联系电话",
    "industry": "行业",
    "address": "地址",
    **EMPLOYER_FLAGS,
    "remarks": "备注",
}

JOB_FIELDS = {
    "employer_name": "用人单位",
    "work_type": "工种",
    "headcount": "招聘人数",
    "wage": "薪资范围",
    "wage_min": "最低月薪（元）",
    "wage_max": "最高月薪（元）",
    "place_type": "工作地类型",
    "work_place": "工作地点",
    "age": "年龄要求",
    "age_min": "最低年龄",
    "age_max": "最高年龄",
    "requirements": "岗位要求",
    **JOB_FLAGS,
    "valid_until": "有效期至",
    "source": "岗位来源",
    "source_note": "来源说明",
    "closed_on": "停招日期",
}

REFERRAL_FIELDS = {
    "number": "推荐信编号",
    "referral_date": "推荐日期",
    "clerk": "经办人",
    "outcome": "推荐结果",
    "outcome_date": "反馈日期",
    "outcome_note": "结果说明",
    "due_date": "反馈期限",
}

EXPORT_BATCH_FIELDS = {
    "number": "批次编号",
    "employer_name": "输出单位",
    "destination": "输出地区",
    "place_type": "输出地类型",
    "depart_date": "出发日期",
    "transport": "交通方式",
    "leader": "带队人",
    "leader_phone": "带队人电话",
    "departed_on": "实际出发日期",
    "remarks": "备注",
}

# ------------------------------------------------- rural public-welfare posts (§五(二))
POST_CATEGORIES = {
    "public_management": "公共管理类",
    "public_service": "公共服务类",
    "social_undertakings": "社会事业类",
    "facility_maintenance": "设施维护类",
    "social_governance": "社会治理类",
}
POST_SCHEDULES = {"full_time": "全日制", "part_time": "非全日制"}
PAY_BASES = {"daily": "按日考勤", "hourly": "按小时计"}
ATTENDANCE_MARKS = {"present": "出勤", "leave": "请假", "absent": "缺勤", "half": "半天"}
# What a printed attendance sheet shows for each mark (and a legend line under it).
MARK_SYMBOLS = {"present": "√", "leave": "假", "absent": "×", "half": "半"}
EVALUATION_RESULTS = {"excellent": "优秀", "qualified": "合格", "unqualified": "不合格"}
EXIT_REASONS = {
    "term_ended": "聘期届满",
    "income_over_line": "灵活就业收入超过防止返贫监测范围",
    "found_job": "实现其他就业",
    "resigned": "本人申请退岗",
    "unqualified": "考核不合格解聘",
    "health": "身体原因",
    "no_longer_eligible": "不再属于安置对象",
    "death": "死亡",
    "other": "其他",
}
INCOME_DECISIONS = {"exit": "退出岗位", "keep": "暂不退岗"}
WELFARE_DOCUMENTS = {
    "attendance": "乡村公益性岗位月度考勤表",
    "pay": "乡村公益性岗位补贴发放表",
    "pay_public": "乡村公益性岗位补贴发放公示",
    "placement_notice": "乡村公益性岗位上岗通知书",
    "exit_notice": "乡村公益性岗位退岗告知书",
}
WELFARE_FIELDS = {
    "post_name": "岗位名称",
    "category": "岗位类别",
    "village": "所在村",
    "duties": "岗位职责",
    "schedule": "用工形式",
    "pay_basis": "考勤方式",
    "daily_hours": "每日工时（小时）",
    "monthly_hours": "月工时（小时）",
    "subsidy_standard": "月补贴标准（元）",
    "capacity": "定员（人）",
    "start_date": "上岗日期",
    "end_date": "聘期结束",
    "exit_date": "退岗日期",
    "exit_reason": "退岗原因",
    "insurer": "承保公司",
    "policy_no": "保单号",
    "planned_days": "应出勤（天）",
    "present_days": "出勤（天）",
    "leave_days": "请假（天）",
    "absent_days": "缺勤（天）",
    "half_days": "半天（天）",
    "hours": "工时（小时）",
    "evaluation": "考核结果",
    "amount": "补贴金额（元）",
    "explanation": "计算方法",
    "signature": "领取人签字",
    "flexible_income": "灵活就业收入（元）",
}


# ---- Roster import and data comparison (issue #3) ----

# Kinds of county list a station compares its records with (信息比对, §五(三)).
COMPARE_KINDS = {
    "unemployment": "失业登记",
    "insurance": "社保参保",
    "monitoring": "防返贫监测",
    "other": "其他",
}

COMPARE_GROUPS = {
    "only_in_list": "名单有、本站无",
    "only_in_station": "本站有、名单无",
    "differing": "信息不一致",
    "unreadable": "无法比对",
}

IMPORT_OUTCOMES = {
    "created": "新增",
    "updated": "更新",
    "unchanged": "无变化",
    "conflicts": "冲突",
    "rejected": "未导入",
}

# Roster columns that are not person fields: the serial number, the employment status
# row's own date, and the two columns a rejected-rows report adds.
ROSTER_EXTRA_FIELDS = {
    "serial": "序号",
    "status": "就业状态",
    "status_since": "状态日期",
    "source_row": "原行号",
    "reject_reason": "未导入原因",
}


# ---- Employment-assistance ledger, labour-rights consultations, training, home (issue #6) ----

# A follow-up of the ledger is also a line of the person's service log.
SERVICE_KINDS["followup"] = "帮扶走访"

FOLLOWUP_METHODS = {"phone": "电话", "visit": "上门走访"}

LEDGER_LEAVE_REASONS = {
    "employed": "实现稳定就业",
    "left_group": "不再属于脱贫人口或防止返贫监测对象",
    "status_withdrawn": "就业状态记录已撤销",
    "person_deleted": "人员信息已删除",
}

# The county's 就业帮扶台账 layout, column by column.
LEDGER_FIELDS = {
    "serial": "序号",
    "name": "姓名",
    "sex": "性别",
    "id_number": "身份证号",
    "village": "村",
    "groups": "人员类别",
    "status": "就业状态",
    "measures": "帮扶措施",
    "last_followup_date": "最近走访日期",
    "last_method": "走访方式",
    "last_outcome": "走访结果",
    "due_date": "下次走访日期",
    "remarks": "备注",
    "entered_on": "进入台账日期",
    "left_on": "退出台账日期",
    "leave_reason": "退出原因",
    "followup_date": "走访日期",
    "outcome": "走访结果",
    "next_due_date": "下次走访日期",
    "clerk": "走访人",
}

RIGHTS_KINDS = {
    "unpaid_wages": "拖欠工资",
    "contract": "劳动合同纠纷",
    "injury": "工伤待遇",
    "social_insurance": "社会保险",
    "other": "其他",
}
RIGHTS_STATUSES = {
    "accepted": "受理",
    "referred": "转劳动监察",
    "resolved": "已解决",
    "withdrawn": "已撤回",
}
RIGHTS_EVIDENCE = {
    "payroll": "工资花名册",
    "attendance": "考勤表",
    "settlement": "结算单",
    "iou": "欠条",
}
RIGHTS_FIELDS = {
    "number": "受理编号",
    "kind": "咨询类型",
    "received_on": "受理日期",
    "parties": "当事人",
    "employer_name": "用人单位",
    "amount": "涉及金额（元）",
    "period": "欠薪期间",
    "people_count": "涉及人数",
    "evidence": "持有证据",
    "description": "情况说明",
    "status": "办理状态",
    "referred_on": "转劳动监察日期",
    "closed_on": "办结日期",
    "result": "办理结果",
    "recovered": "追回金额（元）",
    "clerk": "经办人",
}

TRAINING_KINDS = {
    "skill": "技能培训",
    "safety": "安全知识培训",
    "adaptive": "适应性培训",
    "agriculture": "农业技术培训",
}
TRAINING_RESULTS = {"enrolled": "在训", "completed": "已结业", "dropped": "退训"}
TRAINING_FIELDS = {
    "kind": "培训类型",
    "course": "培训项目",
    "provider": "培训机构",
    "start_date": "开始日期",
    "end_date": "结束日期",
    "result": "培训结果",
    "certificate": "证书名称",
    "certificate_no": "证书编号",
    "recorded_on": "登记日期",
    "brands": "劳务品牌",
    "remarks": "备注",
}

# What the clerk's home screen (首页) lists as today's work.
HOME_ITEM_KINDS = {
    "followup_overdue": "帮扶走访逾期",
    "referral_feedback": "推荐待反馈",
    "insurance": "保险待续保",
    "attendance_approval": "考勤待审批",
    "placement_approval": "上岗待审批",
}

REPORT_DOCUMENTS = {
    "ledger": "就业帮扶台账",
    "monthly": "农民工就业服务工作月报",
    "training_needs": "培训需求名单",
}
