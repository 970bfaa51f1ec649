"""/api/v1/: every app's API, each from its own `api.py`; the schema at /api/v1/schema/."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from amparo.cases import api as cases
from amparo.legal import api as legal
from amparo.monitoring import api as monitoring
from amparo.policy import api as policy
from amparo.prevention import api as prevention
from amparo.referrals import api as referrals
from amparo.research import api as research
from amparo.results import api as results

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("cases/", cases.CaseList.as_view(), name="cases"),
    path("cases/search/", cases.CaseSearch.as_view(), name="case_search"),
    path("cases/<str:code>/", cases.CaseDetail.as_view(), name="case"),
    path("cases/<str:code>/notes/", cases.CaseRecords.as_view(kind="notes"), name="notes"),
    path("cases/<str:code>/follow-ups/", cases.CaseRecords.as_view(kind="follow_ups"),
         name="follow_ups"),
    path("cases/<str:code>/services/", cases.CaseRecords.as_view(kind="services"), name="services"),
    path("cases/<str:code>/episodes/", cases.CaseRecords.as_view(kind="episodes"), name="episodes"),
    path("cases/<str:code>/consents/", cases.CaseRecords.as_view(kind="consents"), name="consents"),
    path("cases/<str:code>/assessments/", cases.CaseRecords.as_view(kind="assessments"),
         name="assessments"),
    path("cases/<str:code>/proceedings/", legal.LegalRecords.as_view(kind="proceedings"),
         name="proceedings"),
    path("cases/<str:code>/referrals/", referrals.ReferralRecords.as_view(kind="referrals"),
         name="referrals"),
    path("cases/<str:code>/risk-assessments/",
         monitoring.MonitoringRecords.as_view(kind="risk_assessments"), name="risk_assessments"),
    path("institutions/", referrals.InstitutionList.as_view(), name="institutions"),
    path("alerts/", monitoring.AlertList.as_view(), name="alerts"),
    path("prevention/activities/", prevention.ActivityList.as_view(),
         name="prevention_activities"),
    path("prevention/activities/<str:activity>/attendance/", prevention.AttendanceList.as_view(),
         name="prevention_attendance"),
    path("prevention/reach/", prevention.ReachView.as_view(), name="prevention_reach"),
    path("policy/services/", policy.ServiceList.as_view(), name="policy_services"),
    path("indicators/", results.IndicatorList.as_view(), name="indicators"),
    path("research/studies/", research.StudyList.as_view(), name="research_studies"),
    path("research/studies/<int:study>/export/", research.StudyExport.as_view(),
         name="research_export"),
    path("research/statistics/", research.Statistics.as_view(), name="research_statistics"),
    path("indicators/<str:indicator>/values/", results.IndicatorValues.as_view(),
         name="indicator_values"),
    path("policy/requests/", policy.RequestList.as_view(), name="policy_requests"),
]
