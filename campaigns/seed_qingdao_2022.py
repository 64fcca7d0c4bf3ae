"""The facts of the 2022 Qingdao campaign (青科协字〔2022〕37号), as DOMAIN.md reads the notice."""

OFFICES = [
    {
        "code": "qast-org-personnel",
        "name": "市科协组织人事部",
        "name_en": "Organisation & Personnel Department, Qingdao Association for Science and Technology",
        "organisation": "青岛市科学技术协会",
        "contact_person": "王馨",
        "phone": "85916831",
        "email": "kexiezurenbu@qd.shandong.cn",
    },
    {
        "code": "qstb-talent",
        "name": "市科技局科技人才处",
        "name_en": "S&T Talent Division, Qingdao Science and Technology Bureau",
        "organisation": "青岛市科技局",
        "contact_person": "王文娟",
        "phone": "85911893",
        "email": "kjjrencaichu@qd.shandong.cn",
    },
]

DISTRICTS = [
    ("shinan", "市南区", "Shinan District"),
    ("shibei", "市北区", "Shibei District"),
    ("licang", "李沧区", "Licang District"),
    ("laoshan", "崂山区", "Laoshan District"),
    ("xihaian", "西海岸新区", "West Coast New Area"),
    ("chengyang", "城阳区", "Chengyang District"),
    ("jimo", "即墨区", "Jimo District"),
    ("jiaozhou", "胶州市", "Jiaozhou City"),
    ("pingdu", "平度市", "Pingdu City"),
    ("laixi", "莱西市", "Laixi City"),
]

CAMPAIGN = {
    "slug": "qingdao-2022",
    "year": 2022,
    "title": "2022年青岛市“全国科技工作者日”活动",
    "title_en": "Qingdao 2022 National Science and Technology Workers' Day",
    "document_number": "青科协字〔2022〕37号",
    "issuers": "青岛市科学技术协会\n青岛市科技局",
    "issuers_en": "Qingdao Association for Science and Technology\nQingdao Science and Technology Bureau",
    "issue_date": "2022-05-10",
    "theme": "创新争先、自立自强",
    "theme_en": "Strive for innovation, be self-reliant and self-improving",
    "edition": 6,
    "key_day": "2022-05-30",
    "window_start": "2022-05-11",
    "window_end": "2022-06-20",
    "summary_deadline": "2022-06-15",
    # 「科技志愿服务……5月上旬起」: volunteer service from 1 May; the survey opens with the window.
    "service_opens_on": "2022-05-01",
    "survey_opens_on": "2022-05-11",
    "late_policy": "allow_flagged",
    "introduction": (
        "青岛市科协、青岛市科技局于2022年5月30日第6个“全国科技工作者日”前后，在全市范围内组织开展系列活动，"
        "活动时间为5月中旬至6月中旬，与全国科技活动周联动，重点培育线上精品活动。"
    ),
    "introduction_en": (
        "Around 30 May 2022, the 6th National S&T Workers' Day, the Qingdao Association for Science and "
        "Technology and the Qingdao Science and Technology Bureau run a series of activities across the city "
        "from mid-May to mid-June, linked with National S&T Week, with priority on online boutique activities."
    ),
    "is_published": True,
}

CATEGORIES = [
    {
        "number": 1, "code": "theme",
        "name": "“创新争先、自立自强”主题活动",
        "name_en": "Theme activities: Strive for innovation, be self-reliant",
        "description": "主场活动、主题灯光秀、座谈会、倡议书、言论文章、5·30宣传海报、科技工作者短视频等。",
        "description_en": "Main-venue event, theme light show, symposiums, proposals, commentary articles, "
                          "5·30 posters and short videos by S&T workers.",
        "forms": [("主场活动", "Main-venue event"), ("灯光秀", "Light show"), ("座谈会", "Symposium"),
                  ("倡议书", "Published proposal"), ("言论文章", "Commentary article"),
                  ("宣传海报", "Poster"), ("短视频", "Short video"), ("其他", "Other")],
    },
    {
        "number": 2, "code": "st-week",
        "name": "与全国科技活动周联动重点活动",
        "name_en": "Joint activities with National S&T Week",
        "description": "宣传科技法规政策、“双碳”和数字经济成果、科技安全教育，科技下乡、科普进社区、进校园，青少年科技竞赛。",
        "description_en": "S&T law and policy, carbon-neutrality and digital-economy achievements, S&T security "
                          "education, outreach to villages, communities and schools, youth competitions.",
        "forms": [("科技法规政策宣传", "S&T law and policy publicity"),
                  ("双碳/数字经济成果宣传", "Carbon neutrality / digital economy achievements"),
                  ("科技安全教育", "S&T security education"), ("科技下乡", "S&T to the countryside"),
                  ("科普进社区", "Science in communities"), ("科普进校园", "Science in schools"),
                  ("青少年科技竞赛", "Youth S&T competition"), ("其他", "Other")],
    },
    {
        "number": 3, "code": "role-models",
        "name": "优秀典型学习宣传活动",
        "name_en": "Learning from role models",
        "description": "2022年“青岛最美科技工作者”学习宣传活动及5月底发布仪式。",
        "description_en": "The 2022 \"Qingdao's Most Beautiful S&T Workers\" and their release ceremony at the end of May.",
        "forms": [("最美科技工作者发布", "Most Beautiful S&T Workers release"), ("其他", "Other")],
    },
    {
        "number": 4, "code": "scientist-spirit",
        "name": "弘扬科学家精神系列活动",
        "name_en": "Promoting the scientist spirit",
        "description": "“众心向党 自立自强——党领导下的科学家主题展”“榜样的力量——最美科技工作者风采展”，科学家精神教育基地参观学习。",
        "description_en": "Two exhibitions on scientists under the Party's leadership and on the Most Beautiful S&T "
                          "Workers; visits to Scientist Spirit Education Bases.",
        "forms": [("主题展览", "Theme exhibition"), ("教育基地参观", "Education base visit"), ("其他", "Other")],
    },
    {
        "number": 5, "code": "volunteer", "follows_service_window": True,
        "name": "科技为民志愿服务活动",
        "name_en": "Volunteer S&T service for the people",
        "description": "对接科技服务团，开展“银铃科普行动”“蒲公英科普行动”“‘科创助梦’助力‘双减’科普行动”，青年科技工作者工作状况调查。",
        "description_en": "S&T service teams; the Silver Bell, Dandelion and Dream-Building science actions; the "
                          "survey of young S&T workers' working conditions.",
        "forms": [("科技服务团服务", "S&T service team"), ("银铃科普行动", "Silver Bell action (elderly)"),
                  ("蒲公英科普行动", "Dandelion action (children)"),
                  ("科创助梦助力双减", "Dream-Building action (pupils)"), ("其他", "Other")],
    },
    {
        "number": 6, "code": "featured",
        "name": "百花齐放开展特色活动",
        "name_en": "Featured activities",
        "description": "宣讲报告、选树宣传、座谈会、走访慰问、展览展示、学术交流、技术合作、志愿服务、科技竞赛、文化艺术活动等。",
        "description_en": "Talks, selections, symposiums, visits to workers, exhibitions, academic exchange, "
                          "technical cooperation, volunteer service, competitions, culture and art.",
        "forms": [("宣讲报告", "Talk"), ("选树宣传", "Selection and publicity"), ("座谈会", "Symposium"),
                  ("走访慰问", "Visits to workers"), ("展览展示", "Exhibition"), ("学术交流", "Academic exchange"),
                  ("技术合作", "Technical cooperation"), ("志愿服务", "Volunteer service"),
                  ("科技竞赛", "Competition"), ("文化艺术", "Culture and art"), ("其他", "Other")],
    },
]

# District S&T bureaus report to the bureau's talent division; every other unit type to the association.
ROUTING = {
    "district_association": "qast-org-personnel",
    "district_bureau": "qstb-talent",
    "society": "qast-org-personnel",
    "university": "qast-org-personnel",
    "enterprise": "qast-org-personnel",
    "institute": "qast-org-personnel",
}

CONTACTS = [
    {"office": "qast-org-personnel", "person": "王馨", "phone": "85916831",
     "email": "kexiezurenbu@qd.shandong.cn", "order": 1},
    {"office": "qstb-talent", "person": "王文娟", "phone": "85911893",
     "email": "kjjrencaichu@qd.shandong.cn", "order": 2},
]

# The two touring exhibitions of the notice (section 四.3), shown by host units one after another.
EXHIBITIONS = [
    {"code": "party-scientists", "order": 1, "organiser": "青岛市科学技术协会",
     "title": "众心向党 自立自强——党领导下的科学家主题展",
     "title_en": "United behind the Party, self-reliant and strong: scientists under the Party's leadership",
     "description": "展示党领导下我国科学家爱国奉献、勇攀高峰的感人事迹，弘扬科学家精神。展览由各承办单位自行安排场地巡回展出。"},
    {"code": "role-models", "order": 2, "organiser": "青岛市科学技术协会",
     "title": "榜样的力量——最美科技工作者风采展",
     "title_en": "The power of role models: the Most Beautiful S&T Workers",
     "description": "展示全国、全省和青岛“最美科技工作者”的先进事迹。展览由各承办单位自行安排场地巡回展出。"},
]
